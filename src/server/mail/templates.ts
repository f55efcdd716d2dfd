/** Plain, accessible emails: a text part always, a minimal HTML part with one button. */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function layout(
  heading: string,
  body: string,
  action: { label: string; url: string },
  footer?: { text: string; url: string; label: string },
): string {
  const foot = footer
    ? `<p style="color:#667;font-size:12px">${escapeHtml(footer.text)} <a href="${escapeHtml(footer.url)}">${escapeHtml(footer.label)}</a></p>`
    : "";
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f6f7f9;padding:24px">
<div style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:18px">${escapeHtml(heading)}</h1><p style="white-space:pre-line">${escapeHtml(body)}</p>
<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="color:#667;font-size:12px">Or paste this link into your browser:<br>${escapeHtml(action.url)}</p>
${foot}</div></body></html>`;
}

export function signInEmail(url: string): { subject: string; text: string; html: string } {
  return {
    subject: "Your Lanes sign-in link",
    text: `Sign in to Lanes:\n\n${url}\n\nThe link works once and expires in 30 minutes. If you did not ask for it, ignore this email.`,
    html: layout("Sign in to Lanes", "Click the button to sign in. The link works once and expires in 30 minutes.", {
      label: "Sign in",
      url,
    }),
  };
}

export function invitationEmail(args: { url: string; workspaceName: string; inviterName: string; role: string }): {
  subject: string;
  text: string;
  html: string;
} {
  const line = `${args.inviterName} invited you to join ${args.workspaceName} on Lanes as ${args.role.toLowerCase()}.`;
  return {
    subject: `Join ${args.workspaceName} on Lanes`,
    text: `${line}\n\nAccept the invitation:\n\n${args.url}\n\nThe link expires in 7 days.`,
    html: layout(`Join ${args.workspaceName}`, `${line} The link expires in 7 days.`, {
      label: "Accept invitation",
      url: args.url,
    }),
  };
}

/** A mention or an assignment, with a link to the task and one to stop this kind of email. */
export function notificationEmail(args: {
  kind: "mentions" | "assignments";
  actorName: string;
  workspaceName: string;
  task: { ref: string; title: string };
  excerpt: string | null;
  url: string;
  unsubscribeUrl: string;
}): { subject: string; text: string; html: string; unsubscribeUrl: string } {
  const what = args.kind === "mentions" ? "mentioned you in" : "assigned you";
  const subject = `${args.actorName} ${what} ${args.task.ref}: ${args.task.title}`.slice(0, 200);
  const excerpt = args.excerpt
    ? `“${args.excerpt.length > 300 ? `${args.excerpt.slice(0, 299)}…` : args.excerpt}”`
    : "";
  const line = `${args.actorName} ${what} ${args.task.ref} “${args.task.title}” in ${args.workspaceName}.`;
  const stop = args.kind === "mentions" ? "Stop emails about mentions:" : "Stop emails about assignments:";
  return {
    subject,
    text: `${line}\n${excerpt ? `\n${excerpt}\n` : ""}\nOpen the task:\n${args.url}\n\n${stop} ${args.unsubscribeUrl}`,
    html: layout(
      subject,
      excerpt ? `${line}\n\n${excerpt}` : line,
      { label: `Open ${args.task.ref}`, url: args.url },
      {
        text: "You get this because email for this kind of notification is on.",
        url: args.unsubscribeUrl,
        label: "Turn it off",
      },
    ),
    unsubscribeUrl: args.unsubscribeUrl,
  };
}

/** To the person who set up a webhook that Lanes turned off because it kept failing. */
export function webhookDisabledEmail(args: {
  webhookUrl: string;
  workspaceName: string;
  reason: string;
  settingsUrl: string;
}): {
  subject: string;
  text: string;
  html: string;
} {
  const line = `Lanes turned off the webhook to ${args.webhookUrl} in ${args.workspaceName}. ${args.reason}`;
  const next = "Fix the receiver, then turn the webhook back on; failed deliveries can be replayed from its log.";
  return {
    subject: `Webhook turned off in ${args.workspaceName}`,
    text: `${line}\n\n${next}\n\n${args.settingsUrl}`,
    html: layout("A webhook was turned off", `${line}\n\n${next}`, { label: "Open webhooks", url: args.settingsUrl }),
  };
}

export type DigestTask = { ref: string; title: string; due: string; overdue: boolean; url: string };

/** The daily list of someone's open tasks that are due today or tomorrow, or overdue, by workspace. */
export function dueDigestEmail(args: {
  groups: Array<{ workspaceName: string; tasks: DigestTask[] }>;
  homeUrl: string;
  unsubscribeUrl: string;
}): { subject: string; text: string; html: string; unsubscribeUrl: string } {
  const tasks = args.groups.flatMap((g) => g.tasks);
  const overdue = tasks.filter((t) => t.overdue).length;
  const subject = `${tasks.length} ${tasks.length === 1 ? "task" : "tasks"} due soon${overdue ? ` (${overdue} overdue)` : ""}`;
  const lines = args.groups.map(
    (g) =>
      `${g.workspaceName}\n${g.tasks.map((t) => `- ${t.ref} ${t.title} — ${t.overdue ? "overdue since" : "due"} ${t.due}\n  ${t.url}`).join("\n")}`,
  );
  const body = args.groups
    .map(
      (g) =>
        `${g.workspaceName}:\n${g.tasks.map((t) => `• ${t.ref} ${t.title} — ${t.overdue ? "overdue since" : "due"} ${t.due}`).join("\n")}`,
    )
    .join("\n\n");
  return {
    subject,
    text: `Your open tasks due today or tomorrow, and overdue ones:\n\n${lines.join("\n\n")}\n\nStop this daily email: ${args.unsubscribeUrl}`,
    html: layout(
      subject,
      body,
      { label: "Open Lanes", url: args.homeUrl },
      {
        text: "You get this because the due-soon email is on.",
        url: args.unsubscribeUrl,
        label: "Turn it off",
      },
    ),
    unsubscribeUrl: args.unsubscribeUrl,
  };
}
