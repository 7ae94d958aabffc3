import type { DeployProblem } from './deploy-error.js';
import { MAX_DEPTH, MAX_ELEMENTS, scanXml } from './xml-safety.js';

/** What a deployed file is, by its name: BPMN is run; Camunda forms and DMN are kept as resources of the deployment. */
export type ResourceKind = 'bpmn' | 'form' | 'dmn';

export function resourceKind(name: string): ResourceKind {
  const n = name.toLowerCase();
  if (n.endsWith('.form')) return 'form';
  if (n.endsWith('.dmn') || n.endsWith('.dmn11.xml')) return 'dmn';
  return 'bpmn';
}

const DMN_NAMESPACES = new Set([
  'https://www.omg.org/spec/DMN/20191111/MODEL/',
  'http://www.omg.org/spec/DMN/20180521/MODEL/',
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd',
]);
/** A form is data the modeler's form editor wrote: this deep and this many fields at most. */
const MAX_FORM_DEPTH = 32;
const MAX_FORM_NODES = 20_000;

function decode(content: Buffer | string): string | null {
  if (typeof content === 'string') return content.replace(/^\uFEFF/, '');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

/**
 * A Camunda form (`.form`, form-js JSON): kept as a resource of the deployment for the tools that render it;
 * nothing in it is evaluated here. Refused, saying why, when it is not one.
 */
export function checkForm(content: Buffer | string): { problems: DeployProblem[]; formId: string | null } {
  const text = decode(content);
  if (text === null) return { problems: [{ reason: '表单文件不是有效的 UTF-8 文本，请以 UTF-8 保存' }], formId: null };
  let form: unknown;
  try {
    form = JSON.parse(text);
  } catch (err) {
    return {
      problems: [{ reason: `表单文件不是有效的 JSON（Camunda 表单是 JSON 文件）：${(err as Error).message}` }],
      formId: null,
    };
  }
  let nodes = 0;
  const walk = (v: unknown, depth: number): string | null => {
    if (++nodes > MAX_FORM_NODES) return `表单超过 ${MAX_FORM_NODES} 个字段值`;
    if (depth > MAX_FORM_DEPTH) return `表单嵌套超过 ${MAX_FORM_DEPTH} 层`;
    if (Array.isArray(v))
      for (const x of v) {
        const r = walk(x, depth + 1);
        if (r) return r;
      }
    else if (v && typeof v === 'object')
      for (const x of Object.values(v)) {
        const r = walk(x, depth + 1);
        if (r) return r;
      }
    return null;
  };
  const tooBig = walk(form, 0);
  if (tooBig) return { problems: [{ reason: tooBig }], formId: null };
  if (
    !form ||
    typeof form !== 'object' ||
    Array.isArray(form) ||
    !Array.isArray((form as { components?: unknown }).components)
  ) {
    return {
      problems: [
        { reason: '不是 Camunda 表单：缺少 components 数组（请用 Camunda Modeler 的表单编辑器保存 .form 文件）' },
      ],
      formId: null,
    };
  }
  const id = (form as { id?: unknown }).id;
  if (typeof id !== 'string' || !id.trim())
    return { problems: [{ reason: '表单缺少 id：camunda:formRef 按 id 引用表单' }], formId: null };
  return { problems: [], formId: id };
}

/**
 * A DMN file: checked as safe XML with a DMN root, then kept as a resource. Decisions are not evaluated
 * (a business rule task with camunda:decisionRef is refused at deploy).
 */
export function checkDmn(content: Buffer | string, maxElements = MAX_ELEMENTS): DeployProblem[] {
  const text = decode(content);
  if (text === null) return [{ reason: 'DMN 文件不是有效的 UTF-8 文本，请以 UTF-8 保存' }];
  const scan = scanXml(text, MAX_DEPTH, maxElements);
  if (scan.problems.length) return scan.problems;
  if (scan.root?.local !== 'definitions' || !DMN_NAMESPACES.has(scan.root.uri)) {
    const got = scan.root ? `<${scan.root.local}>（命名空间 ${scan.root.uri || '无'}）` : '空文件';
    return [{ reason: `不是 DMN 1.1–1.3 文件：根元素是 ${got}，应为 DMN 命名空间中的 <definitions>` }];
  }
  return [];
}
