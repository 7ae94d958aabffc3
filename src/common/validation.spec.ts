import { Length, Max, MaxLength, IsInt, validateSync } from 'class-validator';
import { chineseConstraint } from './validation.js';

class Form {
  @Length(0, 20) note = 'x'.repeat(21);
  @Length(3, 20) code = 'x';
  @MaxLength(5) name = 'abcdefg';
  @IsInt() @Max(200) pageSize = 201.5;
}

describe('class-validator messages in Chinese', () => {
  it('says each constraint in Chinese with its bound', () => {
    const said = Object.fromEntries(
      validateSync(new Form()).map((e) => [
        e.property,
        Object.entries(e.constraints!).map(([k, m]) => chineseConstraint(k, m)),
      ]),
    );
    expect(said).toEqual({
      note: ['不能超过 20 个字符'],
      code: ['至少 3 个字符'],
      name: ['不能超过 5 个字符'],
      pageSize: ['不能大于 200', '应为整数'],
    });
    expect(chineseConstraint('isString', '已是中文')).toBe('已是中文');
  });
});
