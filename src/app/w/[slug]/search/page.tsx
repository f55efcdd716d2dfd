import type { Metadata } from "next";
import { Suspense } from "react";
import { SearchResults } from "@/features/search/search-results";

export const metadata: Metadata = { title: "Search" };

/** /w/<slug>/search?q=…: every task that matches, as a list (the palette's "See all results"). */
export default function SearchPage() {
  return (
    <Suspense>
      <SearchResults />
    </Suspense>
  );
}
