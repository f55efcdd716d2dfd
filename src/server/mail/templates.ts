/** Plain, accessible emails: a text part always, a minimal HTML part with one button. */

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function layout(heading: string, body: string, action: { label: string; url: string }): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f6f7f9;padding:24px">
<div style="max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:24px">
<h1 style="font-size:18px">${escapeHtml(heading)}</h1><p>${escapeHtml(body)}</p>
<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="color:#667;font-size:12px">Or paste this link into your browser:<br>${escapeHtml(action.url)}</p>
</div></body></html>`;
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
