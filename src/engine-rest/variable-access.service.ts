import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VariableTypes } from '../engine/runtime/variable-changes.js';
import { EngineService, type TaskRow } from '../engine/engine.service.js';
import { invalidRequest, restNotFound } from './camunda-error.js';
import { isUuid } from './format.js';
import { readTyped, toTyped, toTypedValue, type TypedValue } from './variables.js';

export interface InstanceVariables {
  id: string;
  definition_id: string;
  definition_key: string;
  variables: Record<string, unknown>;
  variable_types: VariableTypes;
}

const MAX_NAME = 255;
/** Names a model's expressions can read: letters (any script), digits, `_`, `$`, `-` and `.`; no quotes, spaces or slashes. */
const NAME = /^[\p{L}\p{N}_$][\p{L}\p{N}_$.-]*$/u;

/** Reading and writing the variables of running instances and of the tasks in them, typed the Camunda way. */
@Injectable()
export class VariableAccess {
  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
  ) {}

  async running(id: string): Promise<InstanceVariables> {
    const [row] = isUuid(id)
      ? await this.db.query(
          `SELECT id, definition_id, definition_key, variables, variable_types FROM engine_instance WHERE id = $1 AND status = 'active'`,
          [id],
        )
      : [];
    if (!row) throw restNotFound(`Process instance with id ${id} does not exist`);
    return row;
  }

  async task(id: string): Promise<TaskRow & { owner: string | null; delegation_state: string | null }> {
    const [row] = isUuid(id) ? await this.db.query(`SELECT * FROM engine_task WHERE id = $1`, [id]) : [];
    if (!row) throw restNotFound(`Cannot find task with id ${id}`);
    return row;
  }

  /** The variables a task sees: its process's, with the task's own input over them. */
  async ofTask(task: TaskRow): Promise<{ values: Record<string, unknown>; types: VariableTypes }> {
    const inst = await this.running(task.instance_id);
    const input = task.input ?? {};
    const types = Object.fromEntries(
      Object.entries(inst.variable_types ?? {}).filter(([name]) => !Object.prototype.hasOwnProperty.call(input, name)),
    );
    return { values: { ...(inst.variables ?? {}), ...input }, types };
  }

  typedMap(values: Record<string, unknown>, types: VariableTypes, names?: string[] | null): Record<string, TypedValue> {
    return toTyped(values, names ?? null, types);
  }

  one(values: Record<string, unknown>, types: VariableTypes, name: string, notFound: string): TypedValue {
    if (!Object.prototype.hasOwnProperty.call(values, name)) throw restNotFound(notFound);
    return toTypedValue(values[name], types[name]);
  }

  /** Camunda's modifications: `{modifications: {name: {value, type}}, deletions: [name]}` in one step. */
  async modify(instanceId: string, modifications: unknown, deletions: unknown): Promise<void> {
    if (
      deletions !== undefined &&
      deletions !== null &&
      (!Array.isArray(deletions) || deletions.some((d) => typeof d !== 'string'))
    ) {
      throw invalidRequest('deletions must be a list of variable names');
    }
    const remove = (deletions as string[] | undefined) ?? [];
    const { values, types } = readTyped(modifications);
    for (const name of [...Object.keys(values), ...remove]) checkName(name);
    if (!Object.keys(values).length && !remove.length) return;
    await this.engine.setVariables(instanceId, { set: values, remove, types });
  }

  async put(instanceId: string, name: string, typed: unknown): Promise<void> {
    checkName(name);
    await this.modify(instanceId, { [name]: typed }, []);
  }

  async remove(instanceId: string, name: string): Promise<void> {
    checkName(name);
    await this.engine.setVariables(instanceId, { remove: [name] });
  }
}

function checkName(name: string): void {
  if (!name.trim() || name.length > MAX_NAME)
    throw invalidRequest(`a variable name must have 1 to ${MAX_NAME} characters`);
  if (name === '__proto__' || name === 'constructor' || name === 'prototype')
    throw invalidRequest(`variable name '${name}' is not allowed`);
  if (!NAME.test(name))
    throw invalidRequest(
      `variable name '${name.slice(0, 100)}' is not allowed: use letters, digits, _, $, - and . (变量名只能含字母、数字和 _ $ - .)`,
    );
}
