import { handleTrpcRequest } from "@/server/trpc/http-handler";

// Every method goes to tRPC, so a wrong one (PUT, DELETE, …) or an unknown path
// (/api/trpc, /api/trpc/a/b) answers the JSON error contract rather than Next's empty 405 or HTML 404.
export {
  handleTrpcRequest as GET,
  handleTrpcRequest as POST,
  handleTrpcRequest as PUT,
  handleTrpcRequest as PATCH,
  handleTrpcRequest as DELETE,
};
