import { Injectable } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainException } from '../../common/domain-exception.js';
import { chineseConstraint } from '../../common/validation.js';

export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'textarea' | 'boolean' | 'date' | 'number' | 'milestones' | 'parts' | 'files' | 'select';
  required: boolean;
  options?: string[];
}

export interface FormDefinition {
  key: string;
  title: string;
  fields: FormField[];
  dto: new () => object;
}

/** The fields the modules' form lists are made of. */
export const field = {
  area: (name: string, label: string, required = true): FormField => ({ name, label, type: 'textarea', required }),
  number: (name: string, label: string): FormField => ({ name, label, type: 'number', required: false }),
  flag: (name: string, label: string): FormField => ({ name, label, type: 'boolean', required: false }),
  files: (name: string, label: string, required = false): FormField => ({ name, label, type: 'files', required }),
};

/**
 * A module's task forms handed to the inbox, when the application has it (a module also runs without); a form
 * another module registered first is kept.
 */
export function registerForms(moduleRef: ModuleRef, forms: FormDefinition[]): void {
  let registry: FormRegistry;
  try {
    registry = moduleRef.get(FormRegistry, { strict: false });
  } catch {
    return;
  }
  const known = new Set(registry.keys());
  for (const f of forms) if (!known.has(f.key)) registry.register(f);
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    return Object.entries(e.constraints ?? {})
      .map(([key, message]) => ({ field, message: chineseConstraint(key, message) }))
      .concat(flatten(e.children ?? [], field));
  });
}

/** Each task form (by `camunda:formKey`) is a class-validator DTO; a bad field is a 422 naming it. */
@Injectable()
export class FormRegistry {
  private readonly forms = new Map<string, FormDefinition>();

  register(form: FormDefinition): void {
    if (this.forms.has(form.key)) throw new Error(`form ${form.key} registered twice`);
    this.forms.set(form.key, form);
  }

  get(key: string | null): FormDefinition | null {
    return key ? (this.forms.get(key) ?? null) : null;
  }

  keys(): string[] {
    return [...this.forms.keys()];
  }

  /** Validate what a user submitted; unknown fields are refused, the clean values returned. */
  validate(key: string | null, body: unknown): Record<string, unknown> {
    const form = this.get(key);
    if (!form) {
      throw new DomainException('FORM_UNKNOWN', 422, `该环节的表单“${key ?? '（无）'}”不在本系统中，无法在此办理`);
    }
    const instance = plainToInstance(form.dto, body ?? {});
    const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      const fields = flatten(errors);
      throw new DomainException('VALIDATION', 422, fields.map((f) => `${f.field}：${f.message}`).join('；'), {
        fields,
      });
    }
    return JSON.parse(JSON.stringify(instance));
  }
}
