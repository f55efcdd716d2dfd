import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { cn } from "./ui/cn";

/** Whether an input path ("patch.title") is one of the fields a form shows ("title"). */
function isShown(path: string, shownFields: string[]): boolean {
  return shownFields.some((field) => path === field || path.endsWith(`.${field}`));
}

/**
 * A mutation's error as a sentence, unless the fields already show it
 * (validation errors appear next to their inputs).
 */
export function FormError({
  error,
  shownFields,
  className,
}: {
  error: unknown;
  shownFields?: string[];
  className?: string;
}) {
  if (!error) return null;
  const fields = Object.keys(fieldErrorsOf(error));
  const alreadyShown = shownFields ? fields.some((f) => isShown(f, shownFields)) : fields.length > 0;
  if (alreadyShown) return null;
  return (
    <p role="alert" className={cn("text-sm text-red-600", className)}>
      {messageOf(error)}
    </p>
  );
}
