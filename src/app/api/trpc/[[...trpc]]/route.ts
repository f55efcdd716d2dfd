// Here rather than in the handler: Lanes' own server also loads the handler in plain Node
// (src/server/http/api-server.ts), where this package's default export throws.
import "server-only";
import { handleTrpcRequest } from "@/server/trpc/http-handler";

// Every method goes to tRPC, so a wrong one (PUT, DELETE, …) or an unknown path
// (/api/trpc, /api/trpc/a/b) answers the JSON error contract rather than Next's empty 405 or HTML 404.
// `serve.ts start` answers these itself (decision 0043); `serve.ts dev` comes here.
export {
  handleTrpcRequest as GET,
  handleTrpcRequest as POST,
  handleTrpcRequest as PUT,
  handleTrpcRequest as PATCH,
  handleTrpcRequest as DELETE,
};
