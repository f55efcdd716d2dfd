import { handlers } from "@/server/auth/config";
import { assertMaySendSignInEmail } from "@/server/services/auth";
import { clientIp } from "@/server/trpc/context";
import { emailSchema } from "@/shared/schemas/common";
import { isAppError } from "@/server/errors";

export const { GET } = handlers;

/**
 * Auth.js's own endpoint can send magic links too (not only our sign-in form),
 * so the same per-address and per-IP limit guards it here.
 */
export async function POST(req: Request): Promise<Response> {
  if (new URL(req.url).pathname.endsWith("/signin/email")) {
    const form = await req.clone().formData().catch(() => null);
    const email = emailSchema.safeParse(form?.get("email"));
    if (email.success) {
      try {
        await assertMaySendSignInEmail(email.data, clientIp(req.headers));
      } catch (error) {
        if (isAppError(error)) return Response.json({ error: error.message }, { status: 429, headers: { "retry-after": "900" } });
        throw error;
      }
    }
  }
  return handlers.POST(req as Parameters<typeof handlers.POST>[0]);
}
