/* linli-platform-json.c — strict reading of the platform's JSON answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Error messages name the member and the rule, never the value: a value
 * may be a name or an address, and these messages go to the logs.
 */
#define G_LOG_DOMAIN "linli-platform"

#include "linli-platform-json.h"

#include <stdarg.h>
#include <string.h>

#include "linli-platform-error.h"

/* ---- Wiping ------------------------------------------------------------ */

static LinliPlatformWipeObserver wipe_observer;
static gpointer wipe_observer_data;

void
linli_platform_set_wipe_observer_for_testing (LinliPlatformWipeObserver observer,
                                              gpointer user_data)
{
  wipe_observer = observer;
  wipe_observer_data = user_data;
}

void
linli_platform_wipe (void *data, gsize size)
{
  if (data == NULL || size == 0)
    return;
  explicit_bzero (data, size);
  if (wipe_observer != NULL)
    wipe_observer (data, size, wipe_observer_data);
}

void
linli_platform_wipe_string (char **text)
{
  if (*text == NULL)
    return;
  linli_platform_wipe (*text, strlen (*text) + 1);
  g_clear_pointer (text, g_free);
}

void
linli_platform_wipe_text (LinliLocalizedText **text)
{
  if (*text == NULL)
    return;
  linli_platform_wipe_string (&(*text)->zh);
  linli_platform_wipe_string (&(*text)->en);
  g_clear_pointer (text, g_free);
}

void
linli_json_node_wipe (JsonNode *node)
{
  if (node == NULL)
    return;
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *child;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &child))
          linli_json_node_wipe (child);
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          linli_json_node_wipe (json_array_get_element (array, i));
        break;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          /* The node owns this copy and frees it unwiped: zero it first. */
          char *text = (char *) json_node_get_string (node);

          if (text != NULL)
            linli_platform_wipe (text, strlen (text));
        }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

static void
wiped_array_free (gpointer data)
{
  GByteArray *array = data;

  linli_platform_wipe (array->data, array->len);
  g_byte_array_unref (array);
}

GBytes *
linli_platform_bytes_new_wiped (gpointer data, gsize length)
{
  GByteArray *array = g_byte_array_new_take (data, length);

  return g_bytes_new_with_free_func (array->data, array->len, wiped_array_free, array);
}

char *
linli_json_format_datetime (GDateTime *datetime)
{
  return g_date_time_format (datetime, "%Y-%m-%dT%H:%M:%S%:z");
}

/* ---- Localized texts ------------------------------------------------------ */

void
linli_localized_text_free (LinliLocalizedText *text)
{
  if (text == NULL)
    return;
  linli_platform_wipe_text (&text);
}

const char *
linli_localized_text_get (const LinliLocalizedText *text, const char *language)
{
  if (text == NULL)
    return NULL;
  if (language != NULL && g_str_has_prefix (language, "en") && text->en != NULL)
    return text->en;
  return text->zh;
}

/* ---- Errors and paths ------------------------------------------------------ */

char *
linli_json_path_member (const char *path, const char *member)
{
  if (path == NULL || path[0] == '\0')
    return g_strdup (member);
  if (member == NULL || member[0] == '\0')
    return g_strdup (path);
  return g_strconcat (path, ".", member, NULL);
}

char *
linli_json_path_index (const char *path, const char *member, guint index)
{
  g_autofree char *base = linli_json_path_member (path, member);

  return g_strdup_printf ("%s[%u]", base != NULL ? base : "", index);
}

gboolean
linli_json_set_invalid (
    GError **error, const char *path, const char *member, const char *format, ...)
{
  g_autofree char *where = linli_json_path_member (path, member);
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE, "%s: %s",
               where != NULL && where[0] != '\0' ? where : "(answer)", why);
  return FALSE;
}

/* ---- Parsing ------------------------------------------------------------- */

/* json-glib's parser recurses once per nesting level: an answer of a
 * million '[' would overflow the stack. Count the depth first, outside
 * strings. */
static gboolean
check_depth (const char *data, gsize length, GError **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > LINLI_JSON_MAX_DEPTH)
            return linli_json_set_invalid (error, NULL, NULL, "nested deeper than %u levels",
                                           LINLI_JSON_MAX_DEPTH);
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

JsonNode *
linli_json_parse (const char *data, gsize length, gsize max_length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (max_length == 0)
    max_length = LINLI_JSON_MAX_BODY;
  if (length > max_length)
    {
      linli_json_set_invalid (error, NULL, NULL, "larger than %" G_GSIZE_FORMAT " bytes",
                              max_length);
      return NULL;
    }
  if (length == 0 || data == NULL)
    {
      linli_json_set_invalid (error, NULL, NULL, "empty body");
      return NULL;
    }
  /* Also refuses NUL bytes, which would cut json-glib's strings short. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      linli_json_set_invalid (error, NULL, NULL, "not valid UTF-8");
      return NULL;
    }
  if (!check_depth (data, length, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib's message quotes no input, only a position. */
      linli_json_set_invalid (error, NULL, NULL, "not JSON (%s)", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      linli_json_set_invalid (error, NULL, NULL, "no JSON value");
      return NULL;
    }
  return json_node_copy (root);
}

gboolean
linli_json_check_object (JsonNode *node, const char *path, JsonObject **object, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return linli_json_set_invalid (error, path, NULL, "not a JSON object");
  *object = json_node_get_object (node);
  return TRUE;
}

typedef enum
{
  MEMBER_FOUND,
  MEMBER_ABSENT, /* absent or null, and allowed to be */
  MEMBER_INVALID,
} MemberLookup;

/* Finds @member: an error when it is required and missing, or null and not
 * nullable. */
static MemberLookup
lookup (JsonObject *object,
        const char *path,
        const char *member,
        LinliJsonFlags flags,
        JsonNode **node,
        GError **error)
{
  JsonNode *found = json_object_get_member (object, member);

  *node = NULL;
  if (found == NULL)
    {
      if (flags & LINLI_JSON_REQUIRED)
        {
          linli_json_set_invalid (error, path, member, "missing required member");
          return MEMBER_INVALID;
        }
      return MEMBER_ABSENT;
    }
  if (JSON_NODE_HOLDS_NULL (found))
    {
      if (!(flags & LINLI_JSON_NULLABLE))
        {
          linli_json_set_invalid (error, path, member, "null where the contract allows no null");
          return MEMBER_INVALID;
        }
      return MEMBER_ABSENT;
    }
  *node = found;
  return MEMBER_FOUND;
}

/* Looks @member up; returns from the getter when it is absent (TRUE) or
 * invalid (FALSE). */
#define LOOKUP_OR_RETURN(object, path, member, flags, node, error)           \
  G_STMT_START                                                               \
  {                                                                          \
    MemberLookup found_ = lookup (object, path, member, flags, node, error); \
    if (found_ != MEMBER_FOUND)                                              \
      return found_ == MEMBER_ABSENT;                                        \
  }                                                                          \
  G_STMT_END

static gboolean
holds_type (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Text fit to show, speak and print: no control characters (line breaks
 * only where allowed), no bidirectional overrides that would reorder what
 * is shown. */
static gboolean
text_is_clean (const char *text, gboolean multiline, guint max_chars, const char **why)
{
  guint count = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++count > max_chars)
        {
          *why = "longer than allowed";
          return FALSE;
        }
      if (multiline && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_type (c) == G_UNICODE_CONTROL || (c >= 0x202A && c <= 0x202E)
          || (c >= 0x2066 && c <= 0x2069))
        {
          *why = "holds control characters";
          return FALSE;
        }
    }
  if (count == 0)
    {
      *why = "empty";
      return FALSE;
    }
  return TRUE;
}

/* TRUE with *text NULL when absent and allowed to be. */
static gboolean
read_string (JsonObject *object,
             const char *path,
             const char *member,
             LinliJsonFlags flags,
             guint max_chars,
             const char **text,
             GError **error)
{
  JsonNode *node;
  const char *why = NULL;

  *text = NULL;
  LOOKUP_OR_RETURN (object, path, member, flags, &node, error);
  if (!holds_type (node, G_TYPE_STRING))
    return linli_json_set_invalid (error, path, member, "not a string");
  *text = json_node_get_string (node);
  /* linli_json_parse() validated the UTF-8 of the whole body, but a tree
   * may come from elsewhere. */
  if (*text == NULL || !g_utf8_validate (*text, -1, NULL))
    return linli_json_set_invalid (error, path, member, "not valid UTF-8");
  if (!text_is_clean (*text, (flags & LINLI_JSON_MULTILINE) != 0, max_chars, &why))
    {
      linli_json_set_invalid (error, path, member, "%s (at most %u characters)", why, max_chars);
      *text = NULL;
      return FALSE;
    }
  return TRUE;
}

gboolean
linli_json_get_string (JsonObject *object,
                       const char *path,
                       const char *member,
                       LinliJsonFlags flags,
                       guint max_chars,
                       char **value,
                       GError **error)
{
  const char *text;

  if (!read_string (object, path, member, flags, max_chars, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  g_free (*value);
  *value = g_strdup (text);
  return TRUE;
}

gboolean
linli_json_get_checked (JsonObject *object,
                        const char *path,
                        const char *member,
                        LinliJsonFlags flags,
                        LinliJsonCheck check,
                        const char *rule,
                        char **value,
                        GError **error)
{
  const char *text;

  if (!read_string (object, path, member, flags, 2048, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!check (text))
    return linli_json_set_invalid (error, path, member, "not %s", rule);
  g_free (*value);
  *value = g_strdup (text);
  return TRUE;
}

int
linli_json_enum_from_string (const char *const *names, const char *name)
{
  if (name == NULL)
    return -1;
  for (int i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

const char *
linli_json_enum_to_string (const char *const *names, int value)
{
  if (value < 0)
    return NULL;
  for (int i = 0; names[i] != NULL; i++)
    if (i == value)
      return names[i];
  return NULL;
}

gboolean
linli_json_get_enum (JsonObject *object,
                     const char *path,
                     const char *member,
                     LinliJsonFlags flags,
                     const char *const *names,
                     int *value,
                     GError **error)
{
  const char *text;
  int index;

  if (!read_string (object, path, member, flags, 64, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  index = linli_json_enum_from_string (names, text);
  if (index < 0)
    return linli_json_set_invalid (error, path, member, "not one of the contract's values");
  *value = index;
  return TRUE;
}

gboolean
linli_json_get_int (JsonObject *object,
                    const char *path,
                    const char *member,
                    LinliJsonFlags flags,
                    gint64 min,
                    gint64 max,
                    gint64 *value,
                    gboolean *present,
                    GError **error)
{
  JsonNode *node;
  gint64 number;

  if (present != NULL)
    *present = FALSE;
  LOOKUP_OR_RETURN (object, path, member, flags, &node, error);
  if (!holds_type (node, G_TYPE_INT64))
    return linli_json_set_invalid (error, path, member, "not an integer");
  number = json_node_get_int (node);
  if (number < min || number > max)
    return linli_json_set_invalid (
        error, path, member, "out of range [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]", min, max);
  *value = number;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
linli_json_get_fen (JsonObject *object,
                    const char *path,
                    const char *member,
                    LinliJsonFlags flags,
                    gint64 *value,
                    gboolean *present,
                    GError **error)
{
  return linli_json_get_int (object, path, member, flags, 0, LINLI_JSON_MAX_FEN, value, present,
                             error);
}

gboolean
linli_json_get_number (JsonObject *object,
                       const char *path,
                       const char *member,
                       LinliJsonFlags flags,
                       double min,
                       double max,
                       double *value,
                       gboolean *present,
                       GError **error)
{
  JsonNode *node;
  double number;

  if (present != NULL)
    *present = FALSE;
  LOOKUP_OR_RETURN (object, path, member, flags, &node, error);
  if (holds_type (node, G_TYPE_INT64))
    number = (double) json_node_get_int (node);
  else if (holds_type (node, G_TYPE_DOUBLE))
    number = json_node_get_double (node);
  else
    return linli_json_set_invalid (error, path, member, "not a number");
  /* Also refuses NaN and infinities (json-glib reads 1e999 as inf). */
  if (!(number >= min && number <= max))
    return linli_json_set_invalid (error, path, member, "out of range");
  *value = number;
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

gboolean
linli_json_get_boolean (JsonObject *object,
                        const char *path,
                        const char *member,
                        LinliJsonFlags flags,
                        gboolean *value,
                        gboolean *present,
                        GError **error)
{
  JsonNode *node;

  if (present != NULL)
    *present = FALSE;
  LOOKUP_OR_RETURN (object, path, member, flags, &node, error);
  if (!holds_type (node, G_TYPE_BOOLEAN))
    return linli_json_set_invalid (error, path, member, "not a boolean");
  *value = json_node_get_boolean (node);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

/* ---- Dates ------------------------------------------------------------- */

static gboolean
digits (const char *text, guint count, guint *value)
{
  guint v = 0;

  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (guint) (text[i] - '0');
    }
  *value = v;
  return TRUE;
}

static gboolean
ymd_valid (const char *text, guint *year_out)
{
  guint year, month, day;

  if (!digits (text, 4, &year) || text[4] != '-' || !digits (text + 5, 2, &month) || text[7] != '-'
      || !digits (text + 8, 2, &day))
    return FALSE;
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (year_out != NULL)
    *year_out = year;
  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

gboolean
linli_json_is_date (const char *text)
{
  return text != NULL && strlen (text) == 10 && ymd_valid (text, NULL);
}

gboolean
linli_json_is_month (const char *text)
{
  guint year, month;

  return text != NULL && strlen (text) == 7 && digits (text, 4, &year) && text[4] == '-'
         && digits (text + 5, 2, &month) && year >= 1900 && year <= 2199 && month >= 1
         && month <= 12;
}

/* The shape first (GLib also takes week dates, ordinal dates and missing
 * seconds), then GLib for the values. */
gboolean
linli_json_is_datetime (const char *text)
{
  gsize length;
  guint hour, minute, second, off_h, off_m;
  const char *p;
  g_autoptr (GDateTime) parsed = NULL;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length < 20 || length > 40 || !ymd_valid (text, NULL) || text[10] != 'T'
      || !digits (text + 11, 2, &hour) || text[13] != ':' || !digits (text + 14, 2, &minute)
      || text[16] != ':' || !digits (text + 17, 2, &second))
    return FALSE;
  if (hour > 23 || minute > 59 || second > 59)
    return FALSE;
  p = text + 19;
  if (*p == '.')
    {
      guint frac = 0;

      for (p++; g_ascii_isdigit (*p); p++)
        frac++;
      if (frac < 1 || frac > 9)
        return FALSE;
    }
  if (*p == 'Z')
    p++;
  else if ((*p == '+' || *p == '-') && digits (p + 1, 2, &off_h) && p[3] == ':'
           && digits (p + 4, 2, &off_m) && off_h <= 23 && off_m <= 59)
    p += 6;
  else
    return FALSE;
  if (*p != '\0')
    return FALSE;
  parsed = g_date_time_new_from_iso8601 (text, NULL);
  return parsed != NULL;
}

gboolean
linli_json_get_date (JsonObject *object,
                     const char *path,
                     const char *member,
                     LinliJsonFlags flags,
                     char **value,
                     GError **error)
{
  return linli_json_get_checked (object, path, member, flags, linli_json_is_date,
                                 "a date (YYYY-MM-DD)", value, error);
}

gboolean
linli_json_get_month (JsonObject *object,
                      const char *path,
                      const char *member,
                      LinliJsonFlags flags,
                      char **value,
                      GError **error)
{
  return linli_json_get_checked (object, path, member, flags, linli_json_is_month,
                                 "a month (YYYY-MM)", value, error);
}

gboolean
linli_json_get_datetime (JsonObject *object,
                         const char *path,
                         const char *member,
                         LinliJsonFlags flags,
                         GDateTime **value,
                         GError **error)
{
  g_autofree char *text = NULL;

  if (!linli_json_get_checked (object, path, member, flags, linli_json_is_datetime,
                               "an RFC 3339 date-time with an offset", &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  g_clear_pointer (value, g_date_time_unref);
  *value = g_date_time_new_from_iso8601 (text, NULL);
  return TRUE;
}

/* ---- Structures ------------------------------------------------------------- */

gboolean
linli_json_get_text (JsonObject *object,
                     const char *path,
                     const char *member,
                     LinliJsonFlags flags,
                     guint max_chars,
                     LinliLocalizedText **value,
                     GError **error)
{
  g_autofree char *where = NULL;
  JsonObject *inner = NULL;
  g_autoptr (LinliLocalizedText) text = NULL;
  LinliJsonFlags string_flags = flags & LINLI_JSON_MULTILINE;

  if (!linli_json_get_object (object, path, member, flags, &inner, error))
    return FALSE;
  if (inner == NULL)
    return TRUE;
  where = linli_json_path_member (path, member);
  text = g_new0 (LinliLocalizedText, 1);
  if (!linli_json_get_string (inner, where, "zh", string_flags | LINLI_JSON_REQUIRED, max_chars,
                              &text->zh, error)
      || !linli_json_get_string (inner, where, "en", string_flags | LINLI_JSON_NULLABLE,
                                 max_chars * 4, &text->en, error))
    return FALSE;
  linli_localized_text_free (*value);
  *value = g_steal_pointer (&text);
  return TRUE;
}

gboolean
linli_json_get_array (JsonObject *object,
                      const char *path,
                      const char *member,
                      LinliJsonFlags flags,
                      guint max_items,
                      JsonArray **value,
                      GError **error)
{
  JsonNode *node;
  JsonArray *array;

  LOOKUP_OR_RETURN (object, path, member, flags, &node, error);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return linli_json_set_invalid (error, path, member, "not an array");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_items)
    return linli_json_set_invalid (error, path, member, "more than %u items", max_items);
  *value = array;
  return TRUE;
}

gboolean
linli_json_get_object (JsonObject *object,
                       const char *path,
                       const char *member,
                       LinliJsonFlags flags,
                       JsonObject **value,
                       GError **error)
{
  JsonNode *node;

  LOOKUP_OR_RETURN (object, path, member, flags, &node, error);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return linli_json_set_invalid (error, path, member, "not an object");
  *value = json_node_get_object (node);
  return TRUE;
}

/* ---- The contract's patterns --------------------------------------------- */

static gboolean
all_in (const char *text, gsize min, gsize max, const char *extra, gboolean lower, gboolean upper)
{
  gsize length;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length < min || length > max)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (g_ascii_isdigit (c) || (lower && g_ascii_islower (c)) || (upper && g_ascii_isupper (c))
          || (extra != NULL && c != '\0' && strchr (extra, c) != NULL))
        continue;
      return FALSE;
    }
  return TRUE;
}

gboolean
linli_check_item_code (const char *text)
{
  return all_in (text, 4, 64, "-", TRUE, TRUE) && text[0] != '-';
}

gboolean
linli_check_resident_ref (const char *text)
{
  return all_in (text, 16, 64, "_-", TRUE, TRUE);
}

gboolean
linli_check_order_id (const char *text)
{
  return all_in (text, 8, 64, "_-", TRUE, TRUE);
}

gboolean
linli_check_certification_id (const char *text)
{
  return all_in (text, 8, 64, "_-", TRUE, TRUE);
}

gboolean
linli_check_application_number (const char *text)
{
  return all_in (text, 8, 32, NULL, FALSE, TRUE);
}

gboolean
linli_check_utility_account (const char *text)
{
  return all_in (text, 4, 32, "-", TRUE, TRUE);
}

gboolean
linli_check_name_key (const char *text)
{
  return all_in (text, 1, 48, "_", TRUE, FALSE) && g_ascii_islower (text[0]);
}

gboolean
linli_check_kiosk_id (const char *text)
{
  guint value;
  gsize length;
  const char *serial;

  if (text == NULL || !g_str_has_prefix (text, "LL-"))
    return FALSE;
  length = strlen (text);
  /* LL-330102-0007, or LL-DEMO-0001 / LL-TEST-0001 (never deployed). */
  if (length == 14 && digits (text + 3, 6, &value))
    serial = text + 9;
  else if (length == 12
           && (strncmp (text + 3, "DEMO", 4) == 0 || strncmp (text + 3, "TEST", 4) == 0))
    serial = text + 7;
  else
    return FALSE;
  return serial[0] == '-' && digits (serial + 1, 4, &value);
}

gboolean
linli_check_id_number (const char *text)
{
  guint value;

  return text != NULL && strlen (text) == 18 && digits (text, 9, &value)
         && digits (text + 9, 8, &value) && (g_ascii_isdigit (text[17]) || text[17] == 'X');
}
