import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http/context";
import { createRouter } from "../http/context";
import * as recordActivity from "./activities/create";
import * as listMemberActivities from "./activities/list";
import * as createCampaign from "./campaigns/create";
import * as getCampaign from "./campaigns/get";
import * as listCampaigns from "./campaigns/list";
import * as getCampaignPerformance from "./campaigns/performance";
import * as updateCampaign from "./campaigns/update";
import * as linkMemberCard from "./cards/link";
import * as getMemberByCard from "./cards/lookup";
import * as unlinkMemberCard from "./cards/unlink";
import * as createRate from "./conversion-rates/create";
import * as listRates from "./conversion-rates/list";
import * as executeConversion from "./conversions/execute";
import * as getConversion from "./conversions/get";
import * as quoteConversion from "./conversions/quote";
import * as getEvent from "./events/get";
import * as listEvents from "./events/list";
import * as resendEvent from "./events/resend";
import * as listFraudEvents from "./fraud-events/list";
import * as createMemberSession from "./member-sessions/create";
import * as listMemberActivity from "./members/activity";
import * as enrolMember from "./members/create";
import * as eraseMember from "./members/erase";
import * as exportMember from "./members/export";
import * as getMember from "./members/get";
import * as listMembers from "./members/list";
import * as listMemberTransactions from "./members/transactions";
import * as updateMember from "./members/update";
import * as docs from "./meta/docs";
import * as health from "./meta/health";
import * as openapi from "./meta/openapi";
import { registerWebhooks } from "./meta/webhooks";
import * as jwks from "./oauth/jwks";
import * as rotateSigningKey from "./oauth/rotate-signing-key";
import * as token from "./oauth/token";
import * as createPartner from "./partners/create";
import * as createCredential from "./partners/credentials/create";
import * as revokeCredential from "./partners/credentials/revoke";
import * as rotateCredential from "./partners/credentials/rotate";
import * as getPartner from "./partners/get";
import * as listPartners from "./partners/list";
import * as setPartnerStatus from "./partners/set-status";
import * as updatePartner from "./partners/update";
import * as createPortalUser from "./partners/users/create";
import * as listPortalUsers from "./partners/users/list";
import * as createAgreement from "./programs/agreements/create";
import * as listAgreements from "./programs/agreements/list";
import * as createProgram from "./programs/create";
import * as getProgram from "./programs/get";
import * as listPrograms from "./programs/list";
import * as updateProgram from "./programs/update";
import * as getVelocityRules from "./programs/velocity-rules/get";
import * as putVelocityRules from "./programs/velocity-rules/put";
import * as createPromotion from "./promotions/create";
import * as getPromotion from "./promotions/get";
import * as listPromotions from "./promotions/list";
import * as listMemberChallenges from "./promotions/member-challenges";
import * as getPromotionPerformance from "./promotions/performance";
import * as simulatePromotions from "./promotions/simulate";
import * as updatePromotion from "./promotions/update";
import * as cancelRedemption from "./redemptions/cancel";
import * as createRedemption from "./redemptions/create";
import * as fulfilRedemption from "./redemptions/fulfil";
import * as getRedemption from "./redemptions/get";
import * as listRedemptions from "./redemptions/list";
import * as listMemberRedemptions from "./redemptions/member-list";
import * as returnRedemption from "./redemptions/return";
import * as createReportDefinition from "./report-definitions/create";
import * as deleteReportDefinition from "./report-definitions/delete";
import * as getReportDefinition from "./report-definitions/get";
import * as listReportDefinitions from "./report-definitions/list";
import * as runReportDefinition from "./report-definitions/run";
import * as downloadReportDefinitionRun from "./report-definitions/run-csv";
import * as updateReportDefinition from "./report-definitions/update";
import * as kpiReport from "./reports/kpis";
import * as getLiabilityReport from "./reports/liability";
import * as networkReport from "./reports/network";
import * as promotionsReport from "./reports/promotions";
import * as rewardsReport from "./reports/rewards";
import * as tiersReport from "./reports/tiers";
import * as touchpointsReport from "./reports/touchpoints";
import * as decideReview from "./reviews/decide";
import * as listReviews from "./reviews/list";
import * as uploadRewardCodes from "./rewards/codes";
import * as createReward from "./rewards/create";
import * as getReward from "./rewards/get";
import * as importRewards from "./rewards/import";
import * as listRewards from "./rewards/list";
import * as updateReward from "./rewards/update";
import * as getRfm from "./rfm/get";
import * as recomputeRfm from "./rfm/recompute";
import * as advanceSandboxClock from "./sandbox/advance-clock";
import * as getSandboxClock from "./sandbox/get-clock";
import * as runSandboxJobs from "./sandbox/run-jobs";
import * as addSegmentMembers from "./segments/add-members";
import * as createSegment from "./segments/create";
import * as deleteSegment from "./segments/delete";
import * as getSegment from "./segments/get";
import * as listSegments from "./segments/list";
import * as listMemberSegments from "./segments/member-segments";
import * as listSegmentMembers from "./segments/members";
import * as downloadSegmentMembers from "./segments/members-csv";
import * as previewSegment from "./segments/preview";
import * as removeSegmentMember from "./segments/remove-member";
import * as updateSegment from "./segments/update";
import * as closeSettlementPeriod from "./settlement-periods/create";
import * as downloadStatement from "./settlements/download";
import * as getStatement from "./settlements/get";
import * as listStatements from "./settlements/list";
import * as getTiers from "./tiers/get";
import * as putTiers from "./tiers/put";
import * as setMemberTier from "./tiers/set-member-tier";
import * as createTouchpoint from "./touchpoints/create";
import * as listTouchpoints from "./touchpoints/list";
import * as adjust from "./transactions/adjust";
import * as burn from "./transactions/burn";
import * as earn from "./transactions/earn";
import * as getTransaction from "./transactions/get";
import * as reverse from "./transactions/reverse";
import * as getTransferRules from "./transfer-rules/get";
import * as putTransferRules from "./transfer-rules/put";
import * as createTransfer from "./transfers/create";
import * as getTransfer from "./transfers/get";
import * as createEndpoint from "./webhook-endpoints/create";
import * as deleteEndpoint from "./webhook-endpoints/delete";
import * as listDeliveries from "./webhook-endpoints/deliveries";
import * as getEndpoint from "./webhook-endpoints/get";
import * as listEndpoints from "./webhook-endpoints/list";
import * as rotateEndpointSecret from "./webhook-endpoints/rotate-secret";
import * as sendWebhookTestEvent from "./webhook-endpoints/send-test-event";
import * as updateEndpoint from "./webhook-endpoints/update";

type Operation = { register: (app: ReturnType<typeof createRouter>) => unknown };

/** Each resource is a sub-app of its operations; all are mounted here, in one place. */
const resources: Operation[][] = [
  [token, jwks, rotateSigningKey],
  [createPartner, listPartners, getPartner, updatePartner, setPartnerStatus],
  [createCredential, revokeCredential, rotateCredential, createPortalUser, listPortalUsers],
  [createProgram, listPrograms, getProgram, updateProgram, createAgreement, listAgreements],
  [enrolMember, listMembers, getMember, updateMember, listMemberTransactions, listMemberActivity],
  [createTouchpoint, listTouchpoints],
  [eraseMember, exportMember],
  [linkMemberCard, unlinkMemberCard, getMemberByCard],
  [putTiers, getTiers, setMemberTier],
  [getRfm, recomputeRfm],
  // The CSV first: `/members.csv` must not be taken for the list.
  [
    createSegment,
    listSegments,
    previewSegment,
    getSegment,
    updateSegment,
    deleteSegment,
    downloadSegmentMembers,
    listSegmentMembers,
    addSegmentMembers,
    removeSegmentMember,
    listMemberSegments,
  ],
  [createCampaign, listCampaigns, getCampaign, updateCampaign],
  [createPromotion, listPromotions, getPromotion, updatePromotion, simulatePromotions, listMemberChallenges],
  [recordActivity, listMemberActivities],
  [createReward, importRewards, listRewards, getReward, updateReward, uploadRewardCodes],
  [getPromotionPerformance, getCampaignPerformance],
  [getLiabilityReport],
  // The CSV is a path of its own (`/reports/kpis.csv`), registered with the JSON.
  [kpiReport],
  [tiersReport, promotionsReport, rewardsReport, touchpointsReport, networkReport],
  [
    createReportDefinition,
    listReportDefinitions,
    getReportDefinition,
    updateReportDefinition,
    deleteReportDefinition,
    runReportDefinition,
    downloadReportDefinitionRun,
  ],
  [earn, burn, reverse, getTransaction, adjust],
  [putTransferRules, getTransferRules, createTransfer, getTransfer],
  [
    createRedemption,
    listRedemptions,
    getRedemption,
    fulfilRedemption,
    cancelRedemption,
    returnRedemption,
    listMemberRedemptions,
  ],
  [createRate, listRates, quoteConversion, executeConversion, getConversion, createMemberSession],
  [listReviews, decideReview],
  [putVelocityRules, getVelocityRules, listFraudEvents],
  [
    createEndpoint,
    listEndpoints,
    getEndpoint,
    updateEndpoint,
    deleteEndpoint,
    rotateEndpointSecret,
    listDeliveries,
    sendWebhookTestEvent,
  ],
  [listEvents, getEvent, resendEvent],
  // The downloads first: `/v1/settlements/{id}.csv` must not be taken for a statement id.
  [closeSettlementPeriod, downloadStatement, listStatements, getStatement],
  [health, docs],
];

/** Only on sandbox deployments (SANDBOX=true): elsewhere their paths answer 404 and are not in the document. */
const sandbox: Operation[] = [getSandboxClock, advanceSandboxClock, runSandboxJobs];

/**
 * Mounts every resource's operations and the OpenAPI document; the sandbox's too when `sandbox` is set (the
 * SDK's generator sets it, so the SDK can drive a sandbox).
 */
export function registerRoutes(app: OpenAPIHono<AppEnv>, options: { sandbox?: boolean } = {}) {
  for (const operations of options.sandbox ? [...resources, sandbox] : resources) {
    const router = createRouter();
    for (const operation of operations) operation.register(router);
    app.route("/", router);
  }
  registerWebhooks(app);
  // `GET /openapi.json` lists every operation mounted on `app`.
  openapi.register(app);
}
