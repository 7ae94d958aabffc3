import { request } from 'node:http';
import ExcelJS from 'exceljs';
import { bootApp, header } from './support.js';

const UNITS = ['HBJ', 'CGJ', 'SWJ', 'NYJ', 'ZJW', 'JTJ', 'GAJ', 'FGW'];

/** `import`: N problems from one .xlsx through the API (accepted, then stored by its job), each with its rectification process started. */
export async function importBench(n: number): Promise<void> {
  const b = await bootApp();
  header('import', b.mode, `${n} rows`);
  const auth = await b.bearer('office');
  const post = (path: string, body: unknown) =>
    fetch(`${b.url}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await post('/api/units', { code: 'CITY', name: '市人民政府' });
  for (const [i, code] of UNITS.entries())
    await post('/api/units', { code, name: `测试单位${i + 1}`, parentCode: 'CITY' });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  ws.addRow(['编号', '问题', '类别', '牵头单位', '责任单位', '责任人', '整改时限', '整改目标', '回头看周期（月）']);
  for (let i = 1; i <= n; i++) {
    const lead = UNITS[i % UNITS.length];
    ws.addRow([
      `B-${String(i).padStart(6, '0')}`,
      `第${i}号问题`,
      '大气污染',
      `测试单位${(i % UNITS.length) + 1}`,
      `${lead}、${UNITS[(i + 1) % UNITS.length]}`,
      '张三',
      '2026-12-31',
      '达标',
      6,
    ]);
  }
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  const t0 = performance.now();
  const res = await postFile(`${b.url}/api/problems/import`, auth, file, 'problems.xlsx');
  const accepted = (performance.now() - t0) / 1000;
  const body: any = (() => {
    try {
      return JSON.parse(res.body);
    } catch {
      return {};
    }
  })();
  if (res.status !== 202) {
    console.log(`import: HTTP ${res.status} after ${accepted.toFixed(1)} s; ${body.message ?? res.body.slice(0, 300)}`);
    return b.close();
  }
  // The job: polled until every problem is in the ledger with its process (or none is), progress on the way.
  let job: any;
  let shown = 0;
  for (;;) {
    job = await (await fetch(`${b.url}${body.statusUrl}`, { headers: { authorization: auth } })).json();
    if (job.status !== 'queued' && job.status !== 'running') break;
    const secs = (performance.now() - t0) / 1000;
    if (secs - shown >= 30) {
      shown = secs;
      console.log(`  ${secs.toFixed(0)} s: ${job.status}, ${job.done} of ${job.rows} processes started`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const secs = (performance.now() - t0) / 1000;
  const done = job.status === 'done' ? job.rows : 0;
  console.log(
    `import: accepted (HTTP 202, ${body.rows} rows checked) in ${accepted.toFixed(1)} s; job ${job.status}: ${done} problems in the ledger with their processes ${secs.toFixed(1)} s after the upload (${(done / secs).toFixed(1)} problems/s); file ${(file.length / 1024).toFixed(0)} KiB${job.message ? `; ${job.message}` : ''}`,
  );
  await b.close();
}

/** A multipart upload that waits as long as the import takes (fetch gives up on response headers after 300 s). */
function postFile(
  url: string,
  authorization: string,
  file: Buffer,
  name: string,
): Promise<{ status: number; body: string }> {
  const boundary = `----duban-bench-${Date.now()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, file, tail]);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          authorization,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
