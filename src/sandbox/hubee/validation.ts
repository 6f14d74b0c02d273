import type { z } from 'zod';
import { HubeeApiError } from './errors.ts';

/**
 * HubEE validates requests against its OpenAPI files and answers 400 with the validator's report, e.g.
 * `Bad Request : Validation failed.\n[ERROR][REQUEST][POST /teledossiers/v1/folders @body] Object has missing
 * required properties (["applicant"])` (contracts/hubee.md §5). We build the same lines from zod issues.
 * Unlike the real validator we never echo the offending value: bodies carry personal data, and messages end up
 * in our own logs.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, method: string, path: string): z.output<T> {
  const result = schema.safeParse(body ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const prefix = `[ERROR][REQUEST][${method} ${path} @body]`;
  const lines = describeIssues(result.error.issues, body).map((line) => `${prefix} ${line}`);
  throw new HubeeApiError(400, `Bad Request : Validation failed.\n${lines.join('\n')}`);
}

function describeIssues(issues: readonly z.core.$ZodIssue[], body: unknown): string[] {
  const missing = new Map<string, string[]>();
  const lines: string[] = [];
  for (const issue of issues) {
    const parentPath = issue.path.slice(0, -1);
    const key = issue.path.at(-1);
    if (key !== undefined && isMissing(body, issue.path)) {
      const parent = pointer(parentPath);
      missing.set(parent, [...(missing.get(parent) ?? []), String(key)]);
      continue;
    }
    lines.push(`${located(pointer(issue.path))}${describe(issue)}`);
  }
  const missingLines = [...missing].map(
    ([parent, keys]) => `${located(parent)}Object has missing required properties (${JSON.stringify(keys.sort())})`,
  );
  return [...missingLines, ...lines];
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? `String is too long (length: ${lengthOf(issue.input)}, maximum allowed: ${issue.maximum})`
        : issue.origin === 'array'
          ? `Array is too long (${lengthOf(issue.input)}), maximum ${issue.maximum}`
          : `Numeric instance is greater than the required maximum (maximum: ${issue.maximum})`;
    case 'too_small':
      return issue.origin === 'string'
        ? `String is too short (length: ${lengthOf(issue.input)}, required minimum: ${issue.minimum})`
        : issue.origin === 'array'
          ? `Array is too short (${lengthOf(issue.input)}), minimum ${issue.minimum}`
          : `Numeric instance is lower than the required minimum (minimum: ${issue.minimum})`;
    case 'invalid_value':
      return `Instance value not found in enum (possible values: ${JSON.stringify(issue.values)})`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `ECMA 262 regex "${String(issue.pattern).replace(/^\/|\/$/g, '')}" does not match input string`
        : `String is not a valid ${issue.format}`;
    case 'invalid_type':
      return `Instance type (${typeName(issue.input)}) does not match any allowed primitive type (allowed: ["${issue.expected}"])`;
    default:
      return issue.message;
  }
}

function isMissing(body: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = body;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  const last = path.at(-1);
  return node !== null && typeof node === 'object' && last !== undefined && !(last in node);
}

function pointer(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : `/${path.map(String).join('/')}`;
}

function located(pointerPath: string): string {
  return pointerPath === '' ? '' : `[Path '${pointerPath}'] `;
}

function lengthOf(input: unknown): number | string {
  return typeof input === 'string' || Array.isArray(input) ? input.length : '?';
}

function typeName(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number') return Number.isInteger(input) ? 'integer' : 'number';
  return typeof input;
}
