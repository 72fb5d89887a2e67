/**
 * What consumes expiring lots, oldest first: burns net of their reversals, conversions out, points held
 * for review (given back when released; a held burn or conversion that completes does not count twice),
 * and earlier expiries. Credits (lots) are earns net of reversals and conversions in.
 * Shared by the expiry job and the member's `expiring` balance, so both count the same way.
 */
export const consumedPointsSql = (t: string) => `
  case
    when ${t}.type = 'burn' then (case when ${t}.original_transaction_id is null then ${t}.points else 0 end) - ${t}.reversed_points
    when ${t}.type = 'conversion_out' and ${t}.original_transaction_id is null then ${t}.points
    when ${t}.type = 'hold' then ${t}.points
    when ${t}.type = 'release' then -${t}.points
    when ${t}.type = 'expiry' then ${t}.points
    else 0
  end`;
