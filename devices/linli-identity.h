/* linli-identity.h: who a card says the resident is.
 *
 * A LinliIdentity is personal data: it is refcounted, immutable once built,
 * never logged, and every byte of it is wiped (explicit_bzero) when the last
 * reference goes. Screens and receipts show only the masked forms. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  LINLI_CARD_TYPE_RESIDENT_ID,                /* second-generation resident ID card */
  LINLI_CARD_TYPE_FOREIGN_PERMANENT_RESIDENT, /* 外国人永久居留身份证 */
  LINLI_CARD_TYPE_HK_MACAO_TAIWAN_RESIDENT,   /* 港澳台居民居住证 */
  LINLI_CARD_TYPE_SOCIAL_SECURITY,            /* 社会保障卡 */
} LinliCardType;

typedef enum
{
  LINLI_GENDER_UNKNOWN,
  LINLI_GENDER_MALE,
  LINLI_GENDER_FEMALE,
} LinliGender;

GType linli_card_type_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_CARD_TYPE (linli_card_type_get_type ())

/* "resident_id", "foreign_permanent_resident", "hk_macao_taiwan_resident",
 * "social_security": the JSON names of linli-diag read-card / read-id. */
const char *linli_card_type_to_string (LinliCardType type);

#define LINLI_IDENTITY_ERROR (linli_identity_error_quark ())
GQuark linli_identity_error_quark (void);

typedef enum
{
  LINLI_IDENTITY_ERROR_MALFORMED,    /* the card's data cannot be decoded */
  LINLI_IDENTITY_ERROR_UNKNOWN_CARD, /* a card type the kiosk does not know */
} LinliIdentityError;

typedef struct _LinliIdentity LinliIdentity;

GType linli_identity_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_IDENTITY (linli_identity_get_type ())

/* Building: readers fill a builder and then seal it. Dates are
 * "YYYY-MM-DD" strings; valid_to may be "long-term". Every setter copies. */
typedef struct _LinliIdentityBuilder LinliIdentityBuilder;

LinliIdentityBuilder *linli_identity_builder_new (LinliCardType type, const char *source);
void linli_identity_builder_set_name (LinliIdentityBuilder *builder, const char *name);
void linli_identity_builder_set_gender (LinliIdentityBuilder *builder, LinliGender gender);
void linli_identity_builder_set_nation_code (LinliIdentityBuilder *builder, const char *code);
void linli_identity_builder_set_birth_date (LinliIdentityBuilder *builder, const char *date);
void linli_identity_builder_set_address (LinliIdentityBuilder *builder, const char *address);
void linli_identity_builder_set_id_number (LinliIdentityBuilder *builder, const char *id_number);
void linli_identity_builder_set_issuer (LinliIdentityBuilder *builder, const char *issuer);
void linli_identity_builder_set_validity (LinliIdentityBuilder *builder,
                                          const char *valid_from,
                                          const char *valid_to);
void linli_identity_builder_set_photo (LinliIdentityBuilder *builder, GBytes *photo);
/* Consumes the builder (wiping it). Fails when the card type needs a field
 * that is missing (a name, an ID number). */
LinliIdentity *linli_identity_builder_end (LinliIdentityBuilder *builder, GError **error);
void linli_identity_builder_free (LinliIdentityBuilder *builder);

/* Decodes the 256-byte UCS-2LE text block of GA/T 467 "read base message"
 * for all three card types (PROTOCOLS.md §1). */
LinliIdentity *linli_identity_new_from_ga467_text (
    const guint8 *text, gsize length, GBytes *photo, const char *source, GError **error);

LinliIdentity *linli_identity_ref (LinliIdentity *self);
void linli_identity_unref (LinliIdentity *self);

LinliCardType linli_identity_get_card_type (const LinliIdentity *self);
const char *linli_identity_get_name (const LinliIdentity *self);
LinliGender linli_identity_get_gender (const LinliIdentity *self);
const char *linli_identity_get_nation_code (const LinliIdentity *self); /* NULL if none */
const char *linli_identity_get_nation (const LinliIdentity *self);      /* GB 3304 name */
const char *linli_identity_get_birth_date (const LinliIdentity *self);  /* YYYY-MM-DD */
const char *linli_identity_get_address (const LinliIdentity *self);
const char *linli_identity_get_id_number (const LinliIdentity *self);
const char *linli_identity_get_issuer (const LinliIdentity *self);
const char *linli_identity_get_valid_from (const LinliIdentity *self);
const char *linli_identity_get_valid_to (const LinliIdentity *self); /* or "long-term" */
GBytes *linli_identity_get_photo (const LinliIdentity *self);        /* raw (WLT), or NULL */
const char *linli_identity_get_source (const LinliIdentity *self);

/* GB 11643 check digit (ISO 7064 MOD 11-2) and a real birth date that
 * matches the number's. */
gboolean linli_identity_get_id_number_valid (const LinliIdentity *self);
/* The validity ended before @today (a GDateTime in local time; NULL: now). */
gboolean linli_identity_is_expired (const LinliIdentity *self, GDateTime *today);

/* 王*明, 王* ; "3701**********123X": shown on screens and receipts. */
/* The exact rules are in docs/identity.md: one star per hidden character,
 * and compound surnames are not guessed (欧阳小明 → 欧**明). */
char *linli_identity_dup_masked_name (const LinliIdentity *self);
char *linli_identity_dup_masked_id_number (const LinliIdentity *self);

/* Stand-alone helpers (also used by the parsers and tests). */
gboolean linli_id_number_check (const char *id_number);
char *linli_mask_name (const char *name);
char *linli_mask_id_number (const char *id_number);
const char *linli_nation_name (const char *code); /* GB 3304, e.g. "01" → "汉" */

/* The valid_to of a card that never expires (长期). */
#define LINLI_IDENTITY_LONG_TERM "long-term"

/* Test support only: @observer sees every buffer this module wipes (strings,
 * the photo copy), after explicit_bzero() and before it is freed, so a test
 * can check that it is all zero. NULL removes it. Not thread-safe. */
typedef void (*LinliIdentityWipeObserver) (gconstpointer data, gsize size, gpointer user_data);
void linli_identity_set_wipe_observer_for_testing (LinliIdentityWipeObserver observer,
                                                   gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliIdentity, linli_identity_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliIdentityBuilder, linli_identity_builder_free)

G_END_DECLS
