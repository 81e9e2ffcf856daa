/* linli-sim-util.h — small helpers of linli-platform-sim: GB 11643 identity
 * numbers, masking, random tokens, the platform's clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator stays independent of the kiosk's code (devices/ has its own
 * GB 11643 check): it plays the other side of the contract. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The check character ('0'-'9' or 'X') of the first 17 digits, or 0 when
 * they are not 17 digits. */
char linli_sim_id_check_char (const char *first17);

/* 18 characters, 17 digits and the right check character (capital X), and
 * a birth date that exists and is not in the future. */
gboolean linli_sim_id_number_valid (const char *number, GDateTime *now);

/* All but the first and the last character replaced with '*'; a two-
 * character name keeps its first ("王五" -> "王*"). */
char *linli_sim_mask_name (const char *name);

/* Digits 7-14 replaced with '*' (110105********002X). */
char *linli_sim_mask_id_number (const char *number);

/* The first and the last four characters kept, "****" between. */
char *linli_sim_mask_account (const char *account);

/* Every run of digits replaced with one '*' (幸福里*号楼*单元). */
char *linli_sim_mask_address (const char *address);

/* N characters of [A-Za-z0-9] from the system's random generator
 * (getrandom): resident refs, verification codes. */
char *linli_sim_random_token (gsize n_chars, const char *alphabet);
#define LINLI_SIM_ALPHANUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define LINLI_SIM_UPPERNUM "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

/* The platform's clock, in China Standard Time (+08:00). */
GDateTime *linli_sim_now (void);
/* RFC 3339 with the offset: 2024-05-14T09:30:00+08:00. */
char *linli_sim_format_time (GDateTime *time);
/* 2024-05-14 */
char *linli_sim_format_date (GDateTime *time);
/* A date (YYYY-MM-DD) at midnight +08:00, or NULL when it is not one. */
GDateTime *linli_sim_parse_date (const char *text);
/* An RFC 3339 instant, or NULL. */
GDateTime *linli_sim_parse_time (const char *text);

/* "0-17", "18-59", "60-69", "70-79" or "80+" for a YYYY-MM-DD birth date. */
const char *linli_sim_age_band (const char *birth_date, GDateTime *now);

/* The residents' medical-insurance year open for payment: next year from
 * September (the collection period is September to December), else this
 * year. */
int linli_sim_open_insurance_year (GDateTime *now);

/* Lower-case hex SHA-256 of DATA. */
char *linli_sim_sha256_hex (const void *data, gsize length);

G_END_DECLS
