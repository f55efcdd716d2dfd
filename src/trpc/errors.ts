/** Reading the API's error shape on the client (see src/server/trpc/errors.ts). */
import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/routers/_app";

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** Field → messages, from input validation or a service's field errors. Keys are input paths ("patch.title"). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return isApiError(error) ? (error.data?.fieldErrors ?? {}) : {};
}

/** The messages for one field, whatever object it sits in: `title` matches "title" and "patch.title". */
export function fieldMessages(error: unknown, field: string): string[] | undefined {
  const found = Object.entries(fieldErrorsOf(error)).filter(([path]) => path === field || path.endsWith(`.${field}`));
  return found.length ? found.flatMap(([, messages]) => messages) : undefined;
}

export function errorCodeOf(error: unknown): string | undefined {
  return isApiError(error) ? error.data?.code : undefined;
}

/**
 * The words people see for an input field. Input paths ("patch.title",
 * "filter.labelId") are names for programs; a toast never shows one.
 */
const FIELD_LABEL: Record<string, string> = {
  title: "Title",
  description: "Description",
  body: "Comment",
  email: "Email address",
  name: "Name",
  slug: "Address",
  key: "Key",
  status: "Status",
  priority: "Priority",
  assigneeId: "Assignee",
  dueDate: "Due date",
  labelIds: "Labels",
  labelId: "Label",
  color: "Color",
  role: "Role",
  token: "Invitation link",
};

/** "patch.title" → "Title"; a path it does not know → null (the message is shown alone). */
export function fieldLabel(path: string): string | null {
  const last = path.split(".").findLast((segment) => !/^\d+$/.test(segment));
  return last ? (FIELD_LABEL[last] ?? null) : null;
}

/** "Use at most…" → "use at most…" after a label; "URL…" stays as it is. */
function lowerFirst(s: string): string {
  const [first = "", second = ""] = s;
  const capitalizedWord = first !== first.toLowerCase() && second !== second.toUpperCase();
  return capitalizedWord ? first.toLowerCase() + s.slice(1) : s;
}

/** Field errors as one sentence: "Title: use at most 200 characters". */
export function describeFieldErrors(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([path, messages]) => {
      const label = fieldLabel(path);
      const text = messages.join(" ");
      return label ? `${label}: ${lowerFirst(text)}` : text;
    })
    .join("; ");
}

/** A sentence for a toast or an error state. */
export function messageOf(error: unknown): string {
  if (isApiError(error)) {
    const fields = error.data?.fieldErrors;
    if (fields && Object.keys(fields).length) return describeFieldErrors(fields);
    return error.message;
  }
  return error instanceof Error ? error.message : "Something went wrong";
}

/**
 * Seconds the server asked to wait before trying again (a 429 rate limit, a 503 busy service),
 * or null: the same number as the response's Retry-After header.
 */
export function retryAfterOf(error: unknown): number | null {
  const seconds = isApiError(error) ? error.data?.details?.retryAfterSeconds : undefined;
  return typeof seconds === "number" && seconds > 0 ? seconds : null;
}

/** Details a service attached (e.g. the current task on a CONFLICT). */
export function detailsOf(error: unknown): Record<string, unknown> | undefined {
  return isApiError(error) ? error.data?.details : undefined;
}
