import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/config";
import { JobsPage } from "@/features/admin/jobs-page";

export const metadata: Metadata = { title: "Jobs" };

/** The job queue of the whole installation, for its operators (ADMIN_EMAILS); others are told so by the API. */
export default async function Page() {
  if (!(await auth())?.user) redirect("/signin?callbackUrl=/admin/jobs");
  return <JobsPage />;
}
