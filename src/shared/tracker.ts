/** Task vocabularies shared by server and client. Mirror the Prisma enums. */
export const TASK_STATUSES = ["BACKLOG", "TODO", "IN_PROGRESS", "IN_REVIEW", "DONE", "CANCELED"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const STATUS_LABEL: Record<TaskStatus, string> = {
  BACKLOG: "Backlog",
  TODO: "Todo",
  IN_PROGRESS: "In progress",
  IN_REVIEW: "In review",
  DONE: "Done",
  CANCELED: "Canceled",
};

/** Statuses that count as finished. */
export const CLOSED_STATUSES: readonly TaskStatus[] = ["DONE", "CANCELED"];

/** Least to most urgent (the order Postgres sorts the enum in). */
export const TASK_PRIORITIES = ["NONE", "LOW", "MEDIUM", "HIGH", "URGENT"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const PRIORITY_LABEL: Record<TaskPriority, string> = {
  NONE: "No priority",
  LOW: "Low",
  MEDIUM: "Medium",
  HIGH: "High",
  URGENT: "Urgent",
};

/** Task reference like WEB-42. */
export const TASK_REF_PATTERN = /^([A-Z][A-Z0-9]{1,9})-(\d{1,9})$/;

export function formatTaskRef(projectKey: string, number: number): string {
  return `${projectKey}-${number}`;
}

export function parseTaskRef(ref: string): { key: string; number: number } | null {
  const match = TASK_REF_PATTERN.exec(ref.trim().toUpperCase());
  return match ? { key: match[1]!, number: Number(match[2]) } : null;
}
