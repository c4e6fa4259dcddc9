import { z } from "zod";

/** A raw on-chain integer in a report: a decimal string, since JSON numbers cannot hold a uint256 exactly. */
export const int = z.string().regex(/^-?\d+$/, "integer as a decimal string");
