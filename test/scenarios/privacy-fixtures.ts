import { addAgreement, newKey, onboardPartner, setupConversion, unique } from "./fixtures";
import type { Gateway } from "./gateway";
import { expectBody } from "./harness";
import * as op from "./routes";
import type { Credential } from "./target";

// The world of the privacy scenarios (privacy.ts): a member with personal data and one record of every kind.

/** Personal data of its own for each world (so one world's erase is checked against its own), none of which may survive it. */
function personalData() {
  const tag = unique("ana").slice(4);
  return {
    email: `ana.${tag}@mail.example`,
    name: `Ana Sousa ${tag}`,
    newName: `Ana M. Sousa ${tag}`,
    birth_date: "1988-04-23",
    locale: "pt-BR",
    attributes: { favourite_store: `store-${tag}`, newsletter: true },
    address: `Rua Augusta ${tag}`,
    note: `Asked about her daughter's birthday voucher ${tag}`,
  };
}

/** The texts of a world's personal data that no row may hold after its erase (the birth date is checked itself). */
export const personalTexts = (p: ReturnType<typeof personalData>) => [
  p.email,
  p.name,
  p.newName,
  p.address,
  p.note,
  p.attributes.favourite_store,
];

/**
 * A hotel program (with tiers, transfers on, a partner with an agreement, a product reward and a rate both ways
 * with an airline program) and its member `subject` with personal data and records of every kind: earns (one
 * crossing into Silver), a burn, a card, a profile update, an order with a delivery address, transfers sent and
 * received, conversions out and in, a static segment, a touchpoint with a note and a hosted page session.
 */
export async function privacyWorld(gw: Gateway) {
  // The guest of setupConversion is the subject: its conversions out go to the airline's flyer.
  const { hotel, airline, guest, flyer, pair, quoted, execute, fund } = await setupConversion(gw);
  const { programId, owner } = hotel;
  const partner = await onboardPartner(gw);
  await addAgreement(gw, programId, partner.id);
  const call = (method: string, path: string, body?: unknown, as: Credential = owner, key = true) =>
    gw.call(method, path, { as, body, ...(key && { headers: { "Idempotency-Key": newKey() } }) });
  const memberPath = (externalId: string) => `/v1/programs/${programId}/members/${externalId}`;
  const personal = personalData();

  expectBody(
    await call("PUT", `/v1/programs/${programId}/tiers`, {
      qualification_window_days: 30,
      tiers: [
        { key: "blue", name: "Blue" },
        { key: "silver", name: "Silver", min_points: 1_000, earn_bonus_bps: 0, upgrade_bonus_points: 0 },
      ],
    }),
    op.putTiers,
    200,
  );
  expectBody(
    await call("PUT", `/v1/programs/${programId}/transfer-rules`, { enabled: true }),
    op.putTransferRules,
    200,
  );
  const subject = guest.externalId;
  expectBody(
    await call("PATCH", memberPath(subject), {
      email: personal.email,
      name: personal.name,
      birth_date: personal.birth_date,
      locale: personal.locale,
      attributes: personal.attributes,
    }),
    op.updateMember,
    200,
  );
  expectBody(await call("PATCH", memberPath(subject), { name: personal.newName }), op.updateMember, 200);
  const friend = await hotel.enrol();
  await fund(5_000);
  await hotel.earn(friend.externalId, 500);
  await hotel.burn(subject, 100);
  expectBody(
    await call("POST", `${memberPath(subject)}/cards`, { number: `7000 ${Date.now() % 1e8}` }),
    op.linkMemberCard,
    201,
  );
  const reward = expectBody(
    await call("POST", `/v1/programs/${programId}/rewards`, {
      sku: unique("MUG"),
      name: "Mug",
      type: "product",
      points_price: 50,
      fulfilment: "partner",
      active: true,
    }),
    op.createReward,
    201,
  );
  const order = expectBody(
    await call("POST", "/v1/redemptions", {
      program_id: programId,
      external_id: subject,
      reward_id: reward.id,
      quantity: 1,
      delivery: {
        name: personal.newName,
        address_lines: [personal.address],
        city: "Lisboa",
        postal_code: "1100-048",
        country: "PT",
      },
    }),
    op.createRedemption,
    201,
  );
  const transfer = (from: string, to: string) =>
    call("POST", "/v1/transfers", {
      program_id: programId,
      from_external_id: from,
      to_external_id: to,
      points: 20,
      reference: unique("gift"),
    });
  const sent = expectBody(await transfer(subject, friend.externalId), op.createTransfer, 201);
  const received = expectBody(await transfer(friend.externalId, subject), op.createTransfer, 201);
  const out = expectBody(await execute((await quoted(1_000)).id), op.executeConversion, 201);
  // Back from the airline: a rate the other way, and the flyer's miles converted into the subject's points.
  expectBody(
    await call(
      "POST",
      "/v1/conversion-rates",
      {
        from_program_id: airline.programId,
        to_program_id: programId,
        from_points: 100,
        to_points: 100,
        min_points: 100,
        increment: 100,
        fee_bps: 0,
      },
      gw.operator,
      false,
    ),
    op.createConversionRate,
    201,
  );
  const quoteIn = (as: Credential = airline.owner) =>
    gw.call("POST", "/v1/conversions/quotes", {
      as,
      body: {
        from_program_id: airline.programId,
        to_program_id: programId,
        from_external_id: flyer.externalId,
        to_external_id: subject,
        from_points: 100,
      },
    });
  await airline.earn(flyer.externalId, 1_000);
  const inQuote = expectBody(await quoteIn(), op.quoteConversion, 201);
  const into = expectBody(
    await gw.call("POST", "/v1/conversions", {
      as: airline.owner,
      headers: { "Idempotency-Key": newKey() },
      body: { quote_id: inQuote.id },
    }),
    op.executeConversion,
    201,
  );
  const list = expectBody(
    await call("POST", `/v1/programs/${programId}/segments`, { name: unique("List"), type: "static" }, owner, false),
    op.createSegment,
    201,
  );
  await call("POST", `/v1/segments/${list.id}/members`, { external_ids: [subject] }, owner, false);
  const touchpoint = expectBody(
    await call(
      "POST",
      `${memberPath(subject)}/touchpoints`,
      { channel: "call_center", reason: "question", direction: "inbound", note: personal.note, rating: 4 },
      owner,
      false,
    ),
    op.createTouchpoint,
    201,
  );
  expectBody(
    await call("POST", "/v1/member-sessions", { program_id: programId, external_id: subject }, owner, false),
    op.createMemberSession,
    201,
  );
  return {
    personal,
    hotel,
    airline,
    flyer,
    pair,
    owner,
    partner,
    programId,
    subject,
    subjectId: guest.id,
    friend,
    reward,
    order,
    sent,
    received,
    out,
    into,
    list,
    touchpoint,
    memberPath: memberPath(subject),
    quoteIn,
    quoted,
    execute,
  };
}

export type PrivacyWorld = Awaited<ReturnType<typeof privacyWorld>>;
