/**
 * The outcome of a parse or a check that can fail for an expected reason. Domain functions return this
 * instead of throwing, so that callers (web forms, webhooks, notifications) must handle the failure.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
