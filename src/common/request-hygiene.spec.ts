import { HttpException } from '@nestjs/common';
import { MAX_JSON_DEPTH, bodyProblem, refuseUnprocessableInput, urlProblem } from './request-hygiene.js';
import { HygienicValidationPipe, validationPipe } from './validation.js';

function nested(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('request hygiene', () => {
  it('refuses %00 anywhere in a URL, and nothing else', () => {
    expect(urlProblem('/api/problems/%00')).toMatch(/空字符/);
    expect(urlProblem('/api/problems?q=a%00b')).toMatch(/空字符/);
    expect(urlProblem('/api/problems?q=%2500')).toBeNull(); // the text "%00"
    expect(urlProblem('/api/problems?q=%27%20OR%201%3D1')).toBeNull();
  });

  it('measures nesting without recursion, at any depth', () => {
    expect(bodyProblem(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(bodyProblem(nested(MAX_JSON_DEPTH + 1))).toMatch(/嵌套超过 64 层/);
    expect(bodyProblem(nested(200_000))).toMatch(/嵌套超过 64 层/);
    expect(bodyProblem({ a: [1, 2, { b: 'x' }], c: null })).toBeNull();
    expect(bodyProblem(undefined)).toBeNull();
    expect(bodyProblem({})).toBeNull();
  });

  it('finds a NUL character in a string or a key at any place', () => {
    expect(bodyProblem({ name: 'a\u0000b' })).toMatch(/空字符/);
    expect(bodyProblem({ list: [{ deep: ['ok', 'bad\u0000'] }] })).toMatch(/空字符/);
    expect(bodyProblem({ 'k\u0000': 1 })).toMatch(/空字符/);
    expect(bodyProblem('\u0000')).toMatch(/空字符/);
    expect(bodyProblem({ text: '\\u0000 written out is fine' })).toBeNull();
  });

  it('passes a clean request on and hands a refusal to the exception layer as a 400', () => {
    const calls: unknown[][] = [];
    const next = (...args: unknown[]) => void calls.push(args);
    refuseUnprocessableInput({ originalUrl: '/api/units', body: { code: 'X' } } as never, {} as never, next);
    expect(calls).toEqual([[]]);
    refuseUnprocessableInput({ originalUrl: '/api/units', body: { code: 'X\u0000' } } as never, {} as never, next);
    const err = calls[1][0] as HttpException;
    expect(err).toBeInstanceOf(HttpException);
    expect(err.getStatus()).toBe(400);
    expect(err.getResponse()).toEqual({
      statusCode: 400,
      error: 'BAD_REQUEST',
      message: expect.stringContaining('空字符'),
    });
  });

  it('refuses the same in the bodies the validation pipe sees (multipart fields), before validating them', async () => {
    class Note {}
    const pipe = validationPipe();
    await expect(pipe.transform({ note: 'x\u0000y' }, { type: 'body', metatype: Note })).rejects.toMatchObject({
      status: 400,
    });
    await expect(pipe.transform(nested(100), { type: 'body', metatype: Object })).rejects.toMatchObject({
      status: 400,
    });
    // A buffer is not walked byte by byte; a custom decorator's value only where the pipe validates those.
    expect(bodyProblem({ file: Buffer.alloc(10) })).toBeNull();
    const user = { name: 'a\u0000' };
    expect(await pipe.transform(user, { type: 'custom' })).toBe(user);
    await expect(
      new HygienicValidationPipe({ validateCustomDecorators: true }).transform(user, {
        type: 'custom',
        metatype: Note,
      }),
    ).rejects.toMatchObject({ status: 400 });
  });
});
