"use client";
import { ErrorState } from "@/components/ui/states";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      title="Something went wrong"
      message={error.digest ? `Reference: ${error.digest}` : undefined}
      onRetry={reset}
    />
  );
}
