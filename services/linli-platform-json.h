/* linli-platform-json.h — strict reading of the platform's JSON answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every response model of services/platform.openapi.yaml is read with these
 * helpers, so that every member is checked the same way: present when
 * required, of the contract's type, in range, not oversized. A failure is
 * LINLI_PLATFORM_ERROR_INVALID_RESPONSE whose message names the member by
 * its path ("items[3].fields[0].type: ...") and the rule, never its value
 * (values may be personal data). Those messages are for logs; LinliPlatform
 * gives residents a generic translated message instead. Unknown members are
 * ignored, as the contract says.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Limits the contract does not state, chosen far above any real answer. */
#define LINLI_JSON_MAX_DEPTH 32         /* nesting of objects and arrays */
#define LINLI_JSON_MAX_BODY  (4u << 20) /* the contract's response limit */
#define LINLI_JSON_MAX_CODE  64         /* ids, codes, numbers (characters) */
#define LINLI_JSON_MAX_LINE  256        /* titles, names, providers */
#define LINLI_JSON_MAX_TEXT  2000       /* spoken texts, descriptions */

typedef enum
{
  LINLI_JSON_OPTIONAL = 0,
  LINLI_JSON_REQUIRED = 1 << 0, /* absent → error */
  LINLI_JSON_NULLABLE = 1 << 1, /* null → "absent" instead of an error */
  LINLI_JSON_MULTILINE = 1 << 2 /* strings: newlines and tabs allowed */
} LinliJsonFlags;

/* A text for residents: Simplified Chinese, and English when the platform
 * gave one (LocalizedText). */
typedef struct
{
  char *zh;
  char *en; /* or NULL */
} LinliLocalizedText;

void linli_localized_text_free (LinliLocalizedText *text);
/* The English text when @language starts with "en" and there is one,
 * otherwise the Chinese one. NULL-safe: NULL text gives NULL. */
const char *linli_localized_text_get (const LinliLocalizedText *text, const char *language);

/* A string check: TRUE when @text has the shape the contract asks for. */
typedef gboolean (*LinliJsonCheck) (const char *text);

/* Parses a whole answer: at most @max_length bytes (0: LINLI_JSON_MAX_BODY),
 * valid UTF-8, nesting at most LINLI_JSON_MAX_DEPTH deep (checked before
 * json-glib sees it, whose parser recurses), one JSON value. */
JsonNode *linli_json_parse (const char *data, gsize length, gsize max_length, GError **error);

/* Sets LINLI_PLATFORM_ERROR_INVALID_RESPONSE "PATH.MEMBER: REASON" (for
 * checks across members, e.g. pages_min ≤ pages_max). Returns FALSE. */
gboolean linli_json_set_invalid (GError **error,
                                 const char *path,
                                 const char *member,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (4, 5);

/* "a.b", "a[3]": paths for error messages. @path may be NULL or "". */
char *linli_json_path_member (const char *path, const char *member);
char *linli_json_path_index (const char *path, const char *member, guint index);

/* @node must be a JSON object. */
gboolean linli_json_check_object (JsonNode *node,
                                  const char *path,
                                  JsonObject **object,
                                  GError **error);

/* Each getter leaves *value untouched when the member is absent (or null
 * with LINLI_JSON_NULLABLE), and sets *present (when not NULL) to whether a
 * value was read. Strings are valid UTF-8 without control characters (but
 * \n and \t with LINLI_JSON_MULTILINE), 1..@max_chars characters (empty
 * strings are refused: the contract has no member where one means
 * anything). */
gboolean linli_json_get_string (JsonObject *object,
                                const char *path,
                                const char *member,
                                LinliJsonFlags flags,
                                guint max_chars,
                                char **value,
                                GError **error);
/* A string that also passes @check, e.g. the contract's patterns; @rule
 * names it in the error message ("a resident_ref"). */
gboolean linli_json_get_checked (JsonObject *object,
                                 const char *path,
                                 const char *member,
                                 LinliJsonFlags flags,
                                 LinliJsonCheck check,
                                 const char *rule,
                                 char **value,
                                 GError **error);
/* One of @names (NULL-terminated); *value is its index. */
gboolean linli_json_get_enum (JsonObject *object,
                              const char *path,
                              const char *member,
                              LinliJsonFlags flags,
                              const char *const *names,
                              int *value,
                              GError **error);
/* A JSON integer (not a real number) in [min, max]. */
gboolean linli_json_get_int (JsonObject *object,
                             const char *path,
                             const char *member,
                             LinliJsonFlags flags,
                             gint64 min,
                             gint64 max,
                             gint64 *value,
                             gboolean *present,
                             GError **error);
/* An amount in fen: an integer, 0 ≤ fen ≤ LINLI_JSON_MAX_FEN. */
#define LINLI_JSON_MAX_FEN G_GINT64_CONSTANT (100000000000000) /* ¥1 000 000 000 000 */
gboolean linli_json_get_fen (JsonObject *object,
                             const char *path,
                             const char *member,
                             LinliJsonFlags flags,
                             gint64 *value,
                             gboolean *present,
                             GError **error);
/* Any JSON number in [min, max]. */
gboolean linli_json_get_number (JsonObject *object,
                                const char *path,
                                const char *member,
                                LinliJsonFlags flags,
                                double min,
                                double max,
                                double *value,
                                gboolean *present,
                                GError **error);
gboolean linli_json_get_boolean (JsonObject *object,
                                 const char *path,
                                 const char *member,
                                 LinliJsonFlags flags,
                                 gboolean *value,
                                 gboolean *present,
                                 GError **error);
/* YYYY-MM-DD, a real calendar date in 1900..2199. */
gboolean linli_json_get_date (JsonObject *object,
                              const char *path,
                              const char *member,
                              LinliJsonFlags flags,
                              char **value,
                              GError **error);
/* YYYY-MM. */
gboolean linli_json_get_month (JsonObject *object,
                               const char *path,
                               const char *member,
                               LinliJsonFlags flags,
                               char **value,
                               GError **error);
/* RFC 3339 with an offset: 2024-05-14T09:30:00+08:00 (or Z). */
gboolean linli_json_get_datetime (JsonObject *object,
                                  const char *path,
                                  const char *member,
                                  LinliJsonFlags flags,
                                  GDateTime **value,
                                  GError **error);
gboolean linli_json_get_text (JsonObject *object,
                              const char *path,
                              const char *member,
                              LinliJsonFlags flags,
                              guint max_chars,
                              LinliLocalizedText **value,
                              GError **error);
gboolean linli_json_get_array (JsonObject *object,
                               const char *path,
                               const char *member,
                               LinliJsonFlags flags,
                               guint max_items,
                               JsonArray **value,
                               GError **error);
gboolean linli_json_get_object (JsonObject *object,
                                const char *path,
                                const char *member,
                                LinliJsonFlags flags,
                                JsonObject **value,
                                GError **error);

/* The same checks on their own (also used to validate what the kiosk is
 * about to send, and the arguments that go into a path). */
gboolean linli_json_is_date (const char *text);
gboolean linli_json_is_month (const char *text);
gboolean linli_json_is_datetime (const char *text);
gboolean linli_check_item_code (const char *text);          /* ^[0-9A-Za-z][0-9A-Za-z-]{3,63}$ */
gboolean linli_check_resident_ref (const char *text);       /* ^[A-Za-z0-9_-]{16,64}$ */
gboolean linli_check_order_id (const char *text);           /* ^[A-Za-z0-9_-]{8,64}$ */
gboolean linli_check_certification_id (const char *text);   /* ^[A-Za-z0-9_-]{8,64}$ */
gboolean linli_check_application_number (const char *text); /* ^[A-Z0-9]{8,32}$ */
gboolean linli_check_utility_account (const char *text);    /* ^[0-9A-Za-z-]{4,32}$ */
gboolean linli_check_name_key (const char *text);  /* field/document names ^[a-z][a-z0-9_]{0,47}$ */
gboolean linli_check_kiosk_id (const char *text);  /* ^LL-([0-9]{6}|DEMO|TEST)-[0-9]{4}$ */
gboolean linli_check_id_number (const char *text); /* ^[0-9]{17}[0-9X]$ (shape only) */

/* Index of @name in @names (NULL-terminated), or -1. */
int linli_json_enum_from_string (const char *const *names, const char *name);
/* @names[value], or NULL when out of range. */
const char *linli_json_enum_to_string (const char *const *names, int value);

/* RFC 3339 with the offset written out (2024-05-14T09:30:00+08:00). */
char *linli_json_format_datetime (GDateTime *datetime);

/* Bytes over @data (taken) that are wiped when the last reference goes. */
GBytes *linli_platform_bytes_new_wiped (gpointer data, gsize length);

/* Personal data: wipe (explicit_bzero) and free. The observer lets a test
 * see each wiped buffer after it was zeroed and before it is freed. */
void linli_platform_wipe (void *data, gsize size);
void linli_platform_wipe_string (char **text);
void linli_platform_wipe_text (LinliLocalizedText **text);
/* Wipes every string value in a parsed tree (json-glib frees its strings
 * without wiping them); member names are the contract's, not personal. */
void linli_json_node_wipe (JsonNode *node);
typedef void (*LinliPlatformWipeObserver) (gconstpointer data, gsize size, gpointer user_data);
void linli_platform_set_wipe_observer_for_testing (LinliPlatformWipeObserver observer,
                                                   gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliLocalizedText, linli_localized_text_free)

/* The ref, unref and boxed type of a model allocated with
 * g_atomic_rc_box_new0(); @clear frees its members. */
#define LINLI_DEFINE_MODEL(TypeName, type_name, clear) \
  TypeName *type_name##_ref (TypeName *self)           \
  {                                                    \
    g_return_val_if_fail (self != NULL, NULL);         \
    return g_atomic_rc_box_acquire (self);             \
  }                                                    \
  void type_name##_unref (TypeName *self)              \
  {                                                    \
    g_return_if_fail (self != NULL);                   \
    g_atomic_rc_box_release_full (self, clear);        \
  }                                                    \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_ref, type_name##_unref)

G_END_DECLS
