import type { conversions, quotes } from "../../db/schema";
import type { ConversionRate } from "./rates";

export type Quote = typeof quotes.$inferSelect;
export type Conversion = typeof conversions.$inferSelect;
type Sides = { fromExternalId: string; toExternalId: string };

const rateTerms = (rate: Pick<ConversionRate, "id" | "fromPoints" | "toPoints" | "feeBps">) => ({
  id: rate.id,
  from_points: rate.fromPoints,
  to_points: rate.toPoints,
  fee_bps: rate.feeBps,
});

/** The API shape of a quote. */
export function quoteBody(quote: Quote, rate: ConversionRate, sides: Sides) {
  return {
    id: quote.id,
    from_program_id: quote.fromProgramId,
    from_external_id: sides.fromExternalId,
    to_program_id: quote.toProgramId,
    to_external_id: sides.toExternalId,
    from_points: quote.fromPoints,
    fee_points: quote.feePoints,
    to_points: quote.toPoints,
    rate: rateTerms(rate),
    expires_at: quote.expiresAt.toISOString(),
    created_at: quote.createdAt.toISOString(),
  };
}

/**
 * The API shape of a conversion, with the settlement obligation it creates. A `failed` one (between two databases,
 * refused by the destination) also says why.
 */
export function conversionBody(
  conversion: Conversion,
  rate: Pick<ConversionRate, "id" | "fromPoints" | "toPoints" | "feeBps">,
  sides: Sides,
  failureReason: string | null = null,
) {
  return {
    id: conversion.id,
    status: conversion.status,
    quote_id: conversion.quoteId,
    review_id: conversion.reviewId,
    from_program_id: conversion.fromProgramId,
    from_external_id: sides.fromExternalId,
    to_program_id: conversion.toProgramId,
    to_external_id: sides.toExternalId,
    from_points: conversion.fromPoints,
    fee_points: conversion.feePoints,
    to_points: conversion.toPoints,
    rate: rateTerms(rate),
    settlement: {
      payer_program_id: conversion.fromProgramId,
      payee_program_id: conversion.toProgramId,
      points: conversion.toPoints,
      price_micros: conversion.settlementPriceMicros,
      currency: conversion.settlementCurrency,
    },
    created_at: conversion.createdAt.toISOString(),
    decided_at: conversion.decidedAt?.toISOString() ?? null,
    ...(conversion.status === "failed" && { failure_reason: failureReason ?? "" }),
  };
}
