import ExcelJS from 'exceljs';
import { bootApp, header, ms, percentiles } from './support.js';

const UNITS = ['HBJ', 'CGJ', 'SWJ', 'NYJ', 'ZJW', 'JTJ', 'GAJ', 'FGW'];
const DISTRICTS = ['竟陵街道', '杨林街道', '岳口镇', '多宝镇', '皂市镇', '张港镇', '开发区', '侨乡街道'];
const TYPES = ['大气污染', '水污染', '噪声污染', '固体废物', '生态破坏', '土壤污染'];

/**
 * `petitions`: the daily report over a round of `report` complaints (JSON, .xlsx, .docx, three times each), then
 * a batch of `n` complaints through the API: accepted (202), then polled until every process is running.
 */
export async function petitionsBench(n: number, report: number): Promise<void> {
  const b = await bootApp();
  header('petitions', b.mode, `${n} rows imported, report over ${report} complaints`);
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

  // A round of closed complaints in 20 batches, written straight to the tables (the report only reads them).
  await b.db.query(
    `INSERT INTO petition_batch (id, code, title, received_on, assign_days, close_by, status, rows, done, created_at)
     SELECT gen_random_uuid(), 'R' || g, '第' || g || '批', DATE '2017-08-01' + g, 1, DATE '2017-08-08' + g, 'done', 0, 0, now()
     FROM generate_series(1, 20) g`,
  );
  await b.db.query(
    `INSERT INTO petition (id, batch_id, code, row_no, summary, district, pollution_type, unit_code, dedupe_key, status,
       verdict, handling, ordered_rectify, case_filed, fine_wan, detained, interviewed, accountable_people, assigned_on,
       closed_at, created_at, duplicate_of)
     SELECT gen_random_uuid(), b.id, 'P' || g, g, '第' || g || '件', ($2::text[])[1 + g % 8], ($3::text[])[1 + g % 6],
       ($4::text[])[1 + g % 8], 'k' || g, CASE WHEN g % 10 = 0 THEN 'investigating' ELSE 'closed' END,
       (ARRAY['属实','部分属实','不属实'])[1 + g % 3], '已处理', g % 2 = 0, g % 5 = 0, (g % 7) * 0.5, (g % 50 = 0)::int,
       g % 9, g % 11, DATE '2017-08-10', now(), now(), NULL
     FROM generate_series(1, $1::int) g JOIN petition_batch b ON b.code = 'R' || (1 + g % 20)`,
    [report, DISTRICTS, TYPES, UNITS],
  );
  for (const kind of ['', '.xlsx', '.docx']) {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const res = await fetch(`${b.url}/api/petitions/report${kind}?date=2017-08-31`, {
        headers: { authorization: auth },
      });
      size = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`report${kind}: HTTP ${res.status}`);
      times.push(performance.now() - t0);
    }
    const p = percentiles(times);
    console.log(
      `report${kind || ' (JSON)'} over ${report} complaints: median ${ms(p.p50)}, max ${ms(p.max)}, ${size} bytes`,
    );
  }

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('信访件交办表');
  ws.addRow(['受理编号', '交办问题基本情况', '行政区域', '污染类型', '责任单位']);
  for (let i = 1; i <= n; i++)
    ws.addRow([
      `B${String(i).padStart(6, '0')}`,
      `第${i}号信访件：企业排污`,
      DISTRICTS[i % 8],
      TYPES[i % 6],
      UNITS[i % 8],
    ]);
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  const form = new FormData();
  form.append('file', new Blob([file]), 'batch.xlsx');
  form.append('code', 'BENCH');
  form.append('closeBy', '2099-12-31');
  const t0 = performance.now();
  const res = await fetch(`${b.url}/api/petitions/batches`, {
    method: 'POST',
    headers: { authorization: auth },
    body: form,
  });
  const accepted = (performance.now() - t0) / 1000;
  const body = (await res.json()) as { batchId?: string; message?: string };
  if (res.status !== 202) {
    console.log(`import: HTTP ${res.status} after ${accepted.toFixed(1)} s; ${body.message}`);
    return b.close();
  }
  let batch: { status: string; done: number; rows: number; message: string | null };
  let shown = 0;
  for (;;) {
    const r = await fetch(`${b.url}/api/petitions/batches/${body.batchId}?pageSize=1`, {
      headers: { authorization: auth },
    });
    // On the embedded database the import holds the one connection: the poll waits until it is free.
    if (r.status === 503) {
      await r.arrayBuffer();
      await new Promise((res) => setTimeout(res, 500));
      continue;
    }
    batch = (await r.json()) as typeof batch;
    if (batch.status !== 'queued' && batch.status !== 'running') break;
    const secs = (performance.now() - t0) / 1000;
    if (secs - shown >= 30) {
      shown = secs;
      console.log(`  ${secs.toFixed(0)} s: ${batch.status}, ${batch.done} of ${batch.rows} processes started`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `import: accepted (HTTP 202) in ${accepted.toFixed(1)} s; batch ${batch.status}: ${batch.rows} complaints with their processes running ${secs.toFixed(1)} s after the upload (${(batch.rows / secs).toFixed(1)}/s)${batch.message ? `; ${batch.message}` : ''}`,
  );
  await b.close();
}
