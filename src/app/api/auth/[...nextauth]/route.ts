import { handlers } from "@/server/auth/config";

// Sign-in emails are rate limited inside the email provider (src/server/auth/config.ts).
export const { GET, POST } = handlers;
