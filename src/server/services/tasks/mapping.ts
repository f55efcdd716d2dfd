/** Task rows → the DTOs lists, the board and the task page show. */
import type { TaskDetailRow, TaskRow } from "@/server/db/tasks";
import { isoDate } from "@/server/db/task-query";
import type { TaskDetailDto, TaskDto } from "@/shared/schemas/task";
import { formatTaskRef } from "@/shared/tracker";

export function toTaskDto(row: TaskRow): TaskDto {
  return {
    id: row.id,
    ref: formatTaskRef(row.project.key, row.number),
    number: row.number,
    projectId: row.projectId,
    projectKey: row.project.key,
    title: row.title,
    status: row.status,
    priority: row.priority,
    assignee: row.assignee,
    labels: row.labels.map((l) => l.label).sort((a, b) => a.name.localeCompare(b.name)),
    dueDate: row.dueDate ? isoDate(row.dueDate) : null,
    position: row.position,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toTaskDetailDto(row: TaskDetailRow): TaskDetailDto {
  return {
    ...toTaskDto(row),
    description: row.description,
    creator: row.creator,
    completedAt: row.completedAt,
    projectName: row.project.name,
  };
}
