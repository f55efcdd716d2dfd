import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readMailbox } from "@/server/services/mailbox";

export const metadata: Metadata = { title: "Dev mailbox" };
export const dynamic = "force-dynamic";

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** Plain text with its links clickable (the text is never parsed as HTML). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <a key={i} href={part} className="break-all text-brand-600 underline">
            {part}
          </a>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  const { to } = await searchParams;
  const messages = await readMailbox(to);
  if (!messages) notFound();
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-xl font-semibold">Dev mailbox</h1>
      <p className="mt-1 text-sm text-zinc-600">
        Mail the app would have sent{to ? ` to ${to}` : ""}, newest first. This page does not exist in production.
      </p>
      {messages.length === 0 ? <p className="mt-6 text-sm text-zinc-500">No mail yet.</p> : null}
      <ul className="mt-6 space-y-4">
        {messages.map((m) => (
          <li key={m.id} className="rounded-lg border border-zinc-200 bg-white p-4" data-testid="mail">
            <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
              <span className="font-medium">{m.subject}</span>
              <span className="text-zinc-500">
                to <span data-testid="mail-to">{m.to}</span> · {m.createdAt.toLocaleString("en")}
              </span>
            </div>
            <pre className="mt-3 whitespace-pre-wrap font-sans text-sm text-zinc-700">
              <Linkified text={m.text} />
            </pre>
          </li>
        ))}
      </ul>
    </main>
  );
}
