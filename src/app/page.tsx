import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { serverCaller } from "@/trpc/server";

/** Signed out → sign in; no workspace yet → create one; else the first workspace. */
export default async function Home() {
  const session = await auth();
  if (!session?.user) redirect("/signin");
  const workspaces = await (await serverCaller()).workspace.list();
  redirect(workspaces[0] ? `/w/${workspaces[0].slug}` : "/new");
}
