import type { Metadata } from "next";
import { ActivityFeed } from "@/features/activity/activity-feed";

export const metadata: Metadata = { title: "Activity" };

export default function Page() {
  return <ActivityFeed />;
}
