/* linli-field-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One function per field type. Typed text is trimmed first (a space
 * before a phone number is not an error). Messages name the field by its
 * label in the screen's language and never repeat the value: it may be an
 * ID number.
 */
#define G_LOG_DOMAIN "linli-form"

#include "linli-field-check.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linli-identity.h"

/* The kiosk's own cap on any text, whatever the catalog says. */
#define MAX_TEXT_CHARS 2000

/* @format is a translated message with one %s, the label: msgfmt --check
 * (tests/check-po.sh) holds the translations to the same format. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static char *
say (const LinliField *field, const char *language, const char *format)
{
  const char *label = linli_localized_text_get (field->label, language);

  return g_strdup_printf (format, label != NULL ? label : field->name);
}
#pragma GCC diagnostic pop

static gboolean
check_text (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  glong chars = g_utf8_strlen (text, -1);

  if (field->type == LINLI_FIELD_TYPE_TEXT && strchr (text, '\n') != NULL)
    {
      *message = say (field, language, _ ("%s must be on one line."));
      return FALSE;
    }
  if ((field->min_length >= 0 && chars < field->min_length))
    {
      g_autofree char *format = g_strdup_printf (ngettext ("%%s needs at least %d character.",
                                                           "%%s needs at least %d characters.",
                                                           (gulong) field->min_length),
                                                 (int) field->min_length);
      *message = say (field, language, format);
      return FALSE;
    }
  if ((field->max_length >= 0 && chars > field->max_length) || chars > MAX_TEXT_CHARS)
    {
      gint64 max
          = field->max_length >= 0 ? MIN (field->max_length, MAX_TEXT_CHARS) : MAX_TEXT_CHARS;
      g_autofree char *format
          = g_strdup_printf (ngettext ("%%s can have at most %d character.",
                                       "%%s can have at most %d characters.", (gulong) max),
                             (int) max);
      *message = say (field, language, format);
      return FALSE;
    }
  if (field->pattern != NULL
      && !g_regex_match_simple (field->pattern, text, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT))
    {
      *message = say (field, language, _ ("%s is not in the form it should be."));
      return FALSE;
    }
  *value = g_strdup (text);
  return TRUE;
}

/* A whole number in [min, max], digits only (an optional leading minus). */
static gboolean
parse_integer (const char *text, gint64 *out)
{
  char *end = NULL;

  if (*text == '\0' || (!g_ascii_isdigit (*text) && *text != '-'))
    return FALSE;
  errno = 0;
  *out = g_ascii_strtoll (text, &end, 10);
  return errno == 0 && end != text && *end == '\0';
}

static gboolean
check_range (const LinliField *field, const char *language, gint64 n, char **message)
{
  if ((field->has_min && (double) n < field->min) || (field->has_max && (double) n > field->max))
    {
      *message = say (field, language, _ ("%s is outside the allowed range."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_integer (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  gint64 n;

  if (!parse_integer (text, &n))
    {
      *message = say (field, language, _ ("%s must be a whole number."));
      return FALSE;
    }
  if (!check_range (field, language, n, message))
    return FALSE;
  *value = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  return TRUE;
}

/* Yuan as typed ("12", "12.5", "12.50") → fen. */
static gboolean
check_amount (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  g_auto (GStrv) parts = g_strsplit (text, ".", -1);
  gint64 yuan = 0, fen = 0;
  guint n = g_strv_length (parts);
  gsize decimals = n == 2 ? strlen (parts[1]) : 0;

  if (n < 1 || n > 2 || !parse_integer (parts[0], &yuan) || yuan < 0 || yuan > 100000000
      || decimals > 2 || (n == 2 && decimals == 0))
    {
      *message = say (field, language, _ ("%s must be an amount in yuan, such as 12.50."));
      return FALSE;
    }
  if (decimals > 0)
    {
      for (const char *p = parts[1]; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p))
          {
            *message = say (field, language, _ ("%s must be an amount in yuan, such as 12.50."));
            return FALSE;
          }
      fen = g_ascii_strtoll (parts[1], NULL, 10) * (decimals == 1 ? 10 : 1);
    }
  fen += yuan * 100;
  if (!check_range (field, language, fen, message))
    return FALSE;
  *value = g_strdup_printf ("%" G_GINT64_FORMAT, fen);
  return TRUE;
}

static gboolean
check_date (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  int year, month, day, consumed = 0;

  if (strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3
      || consumed != 10 || !g_date_valid_dmy (day, month, year))
    {
      *message = say (field, language, _ ("%s must be a date such as 2026-11-23."));
      return FALSE;
    }
  /* ISO dates compare as text. */
  if ((field->min_date != NULL && strcmp (text, field->min_date) < 0)
      || (field->max_date != NULL && strcmp (text, field->max_date) > 0))
    {
      *message = say (field, language, _ ("%s is outside the allowed dates."));
      return FALSE;
    }
  *value = g_strdup (text);
  return TRUE;
}

static gboolean
check_choice (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  for (guint i = 0; field->choices != NULL && i < field->choices->len; i++)
    {
      LinliChoice *choice = g_ptr_array_index (field->choices, i);

      if (g_str_equal (text, choice->value))
        {
          *value = g_strdup (choice->value);
          return TRUE;
        }
    }
  *message = say (field, language, _ ("Please choose one of the answers for %s."));
  return FALSE;
}

static gboolean
check_phone (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  if (!g_regex_match_simple ("^1[3-9][0-9]{9}$", text, G_REGEX_DEFAULT, G_REGEX_MATCH_DEFAULT))
    {
      *message = say (field, language, _ ("%s must be an 11-digit mobile number."));
      return FALSE;
    }
  *value = g_strdup (text);
  return TRUE;
}

static gboolean
check_id_number (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  g_autofree char *upper = g_ascii_strup (text, -1);

  if (!linli_id_number_check (upper))
    {
      *message = say (field, language, _ ("%s is not a valid ID number. Please check each digit."));
      return FALSE;
    }
  *value = g_steal_pointer (&upper);
  return TRUE;
}

static gboolean
check_boolean (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  if (!g_str_equal (text, "true") && !g_str_equal (text, "false"))
    {
      *message = say (field, language, _ ("Please answer yes or no for %s."));
      return FALSE;
    }
  *value = g_strdup (text);
  return TRUE;
}

gboolean
linli_field_check (
    const LinliField *field, const char *text, const char *language, char **value, char **message)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL && message != NULL, FALSE);

  *value = NULL;
  *message = NULL;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      if (!field->required)
        return TRUE;
      *message = say (field, language, _ ("Please fill in %s."));
      return FALSE;
    }
  switch (field->type)
    {
    case LINLI_FIELD_TYPE_TEXT:
    case LINLI_FIELD_TYPE_MULTILINE:
      return check_text (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_INTEGER:
      return check_integer (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_AMOUNT:
      return check_amount (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_DATE:
      return check_date (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_CHOICE:
      return check_choice (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_PHONE:
      return check_phone (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_ID_NUMBER:
      return check_id_number (field, trimmed, language, value, message);
    case LINLI_FIELD_TYPE_BOOLEAN:
    default:
      return check_boolean (field, trimmed, language, value, message);
    }
}
