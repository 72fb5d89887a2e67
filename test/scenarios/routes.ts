// The route definitions scenarios read answers by (./harness.ts expectBody), named by operation.
export { route as recordActivity } from "../../gateway/src/routes/activities/create";
export { route as listMemberActivities } from "../../gateway/src/routes/activities/list";
export { route as createCampaign } from "../../gateway/src/routes/campaigns/create";
export { route as getCampaign } from "../../gateway/src/routes/campaigns/get";
export { route as listCampaigns } from "../../gateway/src/routes/campaigns/list";
export { route as getCampaignPerformance } from "../../gateway/src/routes/campaigns/performance";
export { route as updateCampaign } from "../../gateway/src/routes/campaigns/update";
export { route as linkMemberCard } from "../../gateway/src/routes/cards/link";
export { route as getMemberByCard } from "../../gateway/src/routes/cards/lookup";
export { route as unlinkMemberCard } from "../../gateway/src/routes/cards/unlink";
export { route as createConversionRate } from "../../gateway/src/routes/conversion-rates/create";
export { route as listConversionRates } from "../../gateway/src/routes/conversion-rates/list";
export { route as executeConversion } from "../../gateway/src/routes/conversions/execute";
export { route as getConversion } from "../../gateway/src/routes/conversions/get";
export { route as quoteConversion } from "../../gateway/src/routes/conversions/quote";
export { route as listEvents } from "../../gateway/src/routes/events/list";
export { route as resendEvent } from "../../gateway/src/routes/events/resend";
export { route as createMemberSession } from "../../gateway/src/routes/member-sessions/create";
export { route as listMemberActivity } from "../../gateway/src/routes/members/activity";
export { route as enrolMember } from "../../gateway/src/routes/members/create";
export { route as eraseMember } from "../../gateway/src/routes/members/erase";
export { route as exportMember } from "../../gateway/src/routes/members/export";
export { route as getMember } from "../../gateway/src/routes/members/get";
export { route as listMembers } from "../../gateway/src/routes/members/list";
export { route as listMemberTransactions } from "../../gateway/src/routes/members/transactions";
export { route as updateMember } from "../../gateway/src/routes/members/update";
export { route as getJwks } from "../../gateway/src/routes/oauth/jwks";
export { route as rotateSigningKey } from "../../gateway/src/routes/oauth/rotate-signing-key";
export { route as getToken } from "../../gateway/src/routes/oauth/token";
export { route as createPartner } from "../../gateway/src/routes/partners/create";
export { route as createPartnerCredential } from "../../gateway/src/routes/partners/credentials/create";
export { route as revokePartnerCredential } from "../../gateway/src/routes/partners/credentials/revoke";
export { route as rotatePartnerCredential } from "../../gateway/src/routes/partners/credentials/rotate";
export { route as getPartner } from "../../gateway/src/routes/partners/get";
export { route as listPartners } from "../../gateway/src/routes/partners/list";
export { route as updatePartner } from "../../gateway/src/routes/partners/update";
export { route as createAgreement } from "../../gateway/src/routes/programs/agreements/create";
export { route as createProgram } from "../../gateway/src/routes/programs/create";
export { route as getProgram } from "../../gateway/src/routes/programs/get";
export { route as updateProgram } from "../../gateway/src/routes/programs/update";
export { route as createPromotion } from "../../gateway/src/routes/promotions/create";
export { route as getPromotion } from "../../gateway/src/routes/promotions/get";
export { route as listPromotions } from "../../gateway/src/routes/promotions/list";
export { route as listMemberChallenges } from "../../gateway/src/routes/promotions/member-challenges";
export { route as getPromotionPerformance } from "../../gateway/src/routes/promotions/performance";
export { route as simulatePromotions } from "../../gateway/src/routes/promotions/simulate";
export { route as updatePromotion } from "../../gateway/src/routes/promotions/update";
export { route as cancelRedemption } from "../../gateway/src/routes/redemptions/cancel";
export { route as createRedemption } from "../../gateway/src/routes/redemptions/create";
export { route as fulfilRedemption } from "../../gateway/src/routes/redemptions/fulfil";
export { route as getRedemption } from "../../gateway/src/routes/redemptions/get";
export { route as listRedemptions } from "../../gateway/src/routes/redemptions/list";
export { route as listMemberRedemptions } from "../../gateway/src/routes/redemptions/member-list";
export { route as returnRedemption } from "../../gateway/src/routes/redemptions/return";
export { route as createReportDefinition } from "../../gateway/src/routes/report-definitions/create";
export { route as deleteReportDefinition } from "../../gateway/src/routes/report-definitions/delete";
export { route as getReportDefinition } from "../../gateway/src/routes/report-definitions/get";
export { route as listReportDefinitions } from "../../gateway/src/routes/report-definitions/list";
export { route as runReportDefinition } from "../../gateway/src/routes/report-definitions/run";
export { route as downloadReportDefinitionRun } from "../../gateway/src/routes/report-definitions/run-csv";
export { route as updateReportDefinition } from "../../gateway/src/routes/report-definitions/update";
export { csvRoute as downloadKpiReportCsv, route as getKpiReport } from "../../gateway/src/routes/reports/kpis";
export { route as getLiabilityReport } from "../../gateway/src/routes/reports/liability";
export {
  csvRoute as downloadNetworkReportCsv,
  route as getNetworkReport,
} from "../../gateway/src/routes/reports/network";
export {
  csvRoute as downloadPromotionsReportCsv,
  route as getPromotionsReport,
} from "../../gateway/src/routes/reports/promotions";
export {
  csvRoute as downloadRewardsReportCsv,
  route as getRewardsReport,
} from "../../gateway/src/routes/reports/rewards";
export {
  csvRoute as downloadTiersReportCsv,
  route as getTiersReport,
} from "../../gateway/src/routes/reports/tiers";
export {
  csvRoute as downloadTouchpointsReportCsv,
  route as getTouchpointsReport,
} from "../../gateway/src/routes/reports/touchpoints";
export { approveRoute as approveReview, rejectRoute as rejectReview } from "../../gateway/src/routes/reviews/decide";
export { route as listReviews } from "../../gateway/src/routes/reviews/list";
export { route as uploadRewardCodes } from "../../gateway/src/routes/rewards/codes";
export { route as createReward } from "../../gateway/src/routes/rewards/create";
export { route as getReward } from "../../gateway/src/routes/rewards/get";
export { route as importRewards } from "../../gateway/src/routes/rewards/import";
export { route as listRewards } from "../../gateway/src/routes/rewards/list";
export { route as updateReward } from "../../gateway/src/routes/rewards/update";
export { route as getRfm } from "../../gateway/src/routes/rfm/get";
export { route as recomputeRfm } from "../../gateway/src/routes/rfm/recompute";
export { route as advanceSandboxClock } from "../../gateway/src/routes/sandbox/advance-clock";
export { route as getSandboxClock } from "../../gateway/src/routes/sandbox/get-clock";
export { route as runSandboxJobs } from "../../gateway/src/routes/sandbox/run-jobs";
export { route as addSegmentMembers } from "../../gateway/src/routes/segments/add-members";
export { route as createSegment } from "../../gateway/src/routes/segments/create";
export { route as deleteSegment } from "../../gateway/src/routes/segments/delete";
export { route as getSegment } from "../../gateway/src/routes/segments/get";
export { route as listSegments } from "../../gateway/src/routes/segments/list";
export { route as listMemberSegments } from "../../gateway/src/routes/segments/member-segments";
export { route as listSegmentMembers } from "../../gateway/src/routes/segments/members";
export { route as downloadSegmentMembers } from "../../gateway/src/routes/segments/members-csv";
export { route as previewSegment } from "../../gateway/src/routes/segments/preview";
export { route as removeSegmentMember } from "../../gateway/src/routes/segments/remove-member";
export { route as updateSegment } from "../../gateway/src/routes/segments/update";
export { route as closeSettlementPeriod } from "../../gateway/src/routes/settlement-periods/create";
export { route as getSettlement } from "../../gateway/src/routes/settlements/get";
export { route as listSettlements } from "../../gateway/src/routes/settlements/list";
export { route as getTiers } from "../../gateway/src/routes/tiers/get";
export { route as putTiers } from "../../gateway/src/routes/tiers/put";
export { route as setMemberTier } from "../../gateway/src/routes/tiers/set-member-tier";
export { route as createTouchpoint } from "../../gateway/src/routes/touchpoints/create";
export { route as listTouchpoints } from "../../gateway/src/routes/touchpoints/list";
export { route as adjustPoints } from "../../gateway/src/routes/transactions/adjust";
export { route as burnPoints } from "../../gateway/src/routes/transactions/burn";
export { route as earnPoints } from "../../gateway/src/routes/transactions/earn";
export { route as getTransaction } from "../../gateway/src/routes/transactions/get";
export { route as reverseTransaction } from "../../gateway/src/routes/transactions/reverse";
export { route as getTransferRules } from "../../gateway/src/routes/transfer-rules/get";
export { route as putTransferRules } from "../../gateway/src/routes/transfer-rules/put";
export { route as createTransfer } from "../../gateway/src/routes/transfers/create";
export { route as getTransfer } from "../../gateway/src/routes/transfers/get";
export { route as createWebhookEndpoint } from "../../gateway/src/routes/webhook-endpoints/create";
export { route as listWebhookDeliveries } from "../../gateway/src/routes/webhook-endpoints/deliveries";
export { route as getWebhookEndpoint } from "../../gateway/src/routes/webhook-endpoints/get";
export { route as listWebhookEndpoints } from "../../gateway/src/routes/webhook-endpoints/list";
export { route as rotateWebhookEndpointSecret } from "../../gateway/src/routes/webhook-endpoints/rotate-secret";
export { route as sendWebhookTestEvent } from "../../gateway/src/routes/webhook-endpoints/send-test-event";
export { route as updateWebhookEndpoint } from "../../gateway/src/routes/webhook-endpoints/update";
