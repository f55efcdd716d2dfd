import { handleRestRequest } from "@/server/rest/handler";

// Every method reaches the REST handler, so a wrong one answers 405 in the API's error contract.
export {
  handleRestRequest as GET,
  handleRestRequest as POST,
  handleRestRequest as PUT,
  handleRestRequest as PATCH,
  handleRestRequest as DELETE,
};
