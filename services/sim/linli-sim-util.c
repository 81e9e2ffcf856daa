/* linli-sim-util.c — GB 11643 numbers, masking, tokens and the clock of
 * linli-platform-sim.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-util.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
static const char id_checks[] = "10X98765432";

char
linli_sim_id_check_char (const char *first17)
{
  int sum = 0;

  if (first17 == NULL)
    return 0;
  for (int i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return 0;
      sum += (first17[i] - '0') * id_weights[i];
    }
  return id_checks[sum % 11];
}

gboolean
linli_sim_id_number_valid (const char *number, GDateTime *now)
{
  char date[11];
  g_autoptr (GDateTime) birth = NULL;

  if (number == NULL || strlen (number) != 18)
    return FALSE;
  if (linli_sim_id_check_char (number) != number[17])
    return FALSE;
  /* Digits 7-14 are the birth date. */
  g_snprintf (date, sizeof date, "%.4s-%.2s-%.2s", number + 6, number + 10, number + 12);
  birth = linli_sim_parse_date (date);
  return birth != NULL && g_date_time_compare (birth, now) <= 0;
}

char *
linli_sim_mask_name (const char *name)
{
  glong length = g_utf8_strlen (name, -1);
  GString *masked = g_string_new (NULL);
  const char *p = name;

  for (glong i = 0; i < length; i++, p = g_utf8_next_char (p))
    {
      gboolean keep = i == 0 || (i == length - 1 && length > 2);

      if (keep)
        g_string_append_len (masked, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (masked, '*');
    }
  return g_string_free (masked, FALSE);
}

char *
linli_sim_mask_id_number (const char *number)
{
  if (strlen (number) != 18)
    return g_strdup ("******************");
  return g_strdup_printf ("%.6s********%s", number, number + 14);
}

char *
linli_sim_mask_account (const char *account)
{
  gsize length = strlen (account);

  if (length <= 8)
    return g_strdup_printf ("%.2s****", account);
  return g_strdup_printf ("%.4s****%s", account, account + length - 4);
}

char *
linli_sim_mask_address (const char *address)
{
  GString *masked = g_string_new (NULL);
  gboolean in_digits = FALSE;

  for (const char *p = address; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (!in_digits)
            g_string_append_c (masked, '*');
          in_digits = TRUE;
          continue;
        }
      in_digits = FALSE;
      g_string_append_c (masked, *p);
    }
  return g_string_free (masked, FALSE);
}

char *
linli_sim_random_token (gsize n_chars, const char *alphabet)
{
  gsize alphabet_length = strlen (alphabet);
  g_autofree guint8 *random = g_malloc (n_chars);
  char *token = g_malloc (n_chars + 1);
  gsize filled = 0;

  while (filled < n_chars)
    {
      ssize_t got = getrandom (random + filled, n_chars - filled, 0);

      if (got < 0)
        {
          /* Only when the kernel has no getrandom: still unpredictable
           * enough for a simulator. */
          for (; filled < n_chars; filled++)
            random[filled] = (guint8) g_random_int_range (0, 256);
          break;
        }
      filled += (gsize) got;
    }
  for (gsize i = 0; i < n_chars; i++)
    token[i] = alphabet[random[i] % alphabet_length];
  token[n_chars] = '\0';
  return token;
}

GDateTime *
linli_sim_now (void)
{
  g_autoptr (GTimeZone) cst = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) utc = g_date_time_new_now_utc ();

  return g_date_time_to_timezone (utc, cst);
}

char *
linli_sim_format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

char *
linli_sim_format_date (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%d");
}

GDateTime *
linli_sim_parse_date (const char *text)
{
  g_autoptr (GTimeZone) cst = NULL;
  int year, month, day;
  char end;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return NULL;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return NULL;
  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3)
    return NULL;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;
  cst = g_time_zone_new_offset (8 * 3600);
  return g_date_time_new (cst, year, month, day, 0, 0, 0);
}

GDateTime *
linli_sim_parse_time (const char *text)
{
  if (text == NULL || strlen (text) < 20 || text[10] != 'T')
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

const char *
linli_sim_age_band (const char *birth_date, GDateTime *now)
{
  int year, month, day, age;

  if (birth_date == NULL || sscanf (birth_date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return "18-59";
  age = g_date_time_get_year (now) - year;
  if (g_date_time_get_month (now) < month
      || (g_date_time_get_month (now) == month && g_date_time_get_day_of_month (now) < day))
    age--;
  if (age < 18)
    return "0-17";
  if (age < 60)
    return "18-59";
  if (age < 70)
    return "60-69";
  if (age < 80)
    return "70-79";
  return "80+";
}

int
linli_sim_open_insurance_year (GDateTime *now)
{
  int year = g_date_time_get_year (now);

  return g_date_time_get_month (now) >= 9 ? year + 1 : year;
}

char *
linli_sim_sha256_hex (const void *data, gsize length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}
