/* linli-catalog.h — the platform's service catalog (Catalog, CatalogItem)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Immutable, reference-counted boxed types; the members are read-only.
 * Items are data: a county adds an item of a built-in flow without a kiosk
 * update (services/platform.openapi.yaml, components/schemas/Catalog).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-payment-order.h"
#include "linli-platform-json.h"

G_BEGIN_DECLS

typedef enum
{
  LINLI_FLOW_INFO,
  LINLI_FLOW_CERTIFICATE,
  LINLI_FLOW_PAYMENT,
  LINLI_FLOW_CERTIFICATION,
  LINLI_FLOW_APPLICATION,
  LINLI_FLOW_STATUS,
} LinliFlow;

typedef enum
{
  LINLI_FIELD_TYPE_TEXT,
  LINLI_FIELD_TYPE_MULTILINE,
  LINLI_FIELD_TYPE_INTEGER,
  LINLI_FIELD_TYPE_AMOUNT,
  LINLI_FIELD_TYPE_DATE,
  LINLI_FIELD_TYPE_CHOICE,
  LINLI_FIELD_TYPE_PHONE,
  LINLI_FIELD_TYPE_ID_NUMBER,
  LINLI_FIELD_TYPE_BOOLEAN,
} LinliFieldType;

typedef enum
{
  LINLI_TRUST_LEVEL_REFERENCE,
  LINLI_TRUST_LEVEL_STAFF_VERIFIED,
  LINLI_TRUST_LEVEL_ORIGINAL_REQUIRED,
} LinliTrustLevel;

/* The contract's names: "info", "text", "reference"… */
const char *linli_flow_to_string (LinliFlow flow);
const char *linli_field_type_to_string (LinliFieldType type);
const char *linli_trust_level_to_string (LinliTrustLevel level);

typedef struct
{
  char *value;
  LinliLocalizedText *label;
} LinliChoice;

typedef struct
{
  char *name;
  LinliFieldType type;
  LinliLocalizedText *label;
  LinliLocalizedText *help;   /* or NULL */
  LinliLocalizedText *spoken; /* or NULL */
  gboolean required;
  char *pattern;     /* or NULL; compiles with GRegex */
  gint64 min_length; /* -1: none */
  gint64 max_length; /* -1: none */
  gboolean has_min;
  double min;
  gboolean has_max;
  double max;
  char *min_date;     /* YYYY-MM-DD or NULL */
  char *max_date;     /* YYYY-MM-DD or NULL */
  GPtrArray *choices; /* LinliChoice *; NULL unless given (never empty for choice fields) */
} LinliField;

typedef struct
{
  char *name;
  LinliLocalizedText *title;
  LinliLocalizedText *spoken; /* or NULL */
  int pages_min;
  int pages_max;
  gint64 max_bytes; /* the PDF of all its pages at most; the contract's default when not given */
  gboolean required;
  LinliTrustLevel trust_level;
} LinliDocumentSpec;

/* DocumentSpec.max_bytes when the catalog does not say. */
#define LINLI_DOCUMENT_DEFAULT_MAX_BYTES 8388608

typedef struct
{
  char *code;
  LinliLocalizedText *title;
  LinliLocalizedText *spoken; /* or NULL */
  char *icon;                 /* or NULL */
  gint64 order;
} LinliCategory;

typedef struct
{
  char *item_code;
  char *category;
  LinliLocalizedText *title;
  LinliLocalizedText *spoken;
  LinliLocalizedText *description; /* or NULL */
  LinliFlow flow;
  GPtrArray *fields;    /* LinliField *, display order */
  GPtrArray *documents; /* LinliDocumentSpec * */
  char *receipt_template;
  gboolean has_payable;          /* payment items: what they pay */
  LinliPayableKind payable_kind; /* when has_payable */
  char *utility_type;            /* "water"… for LINLI_PAYABLE_UTILITY_BILL, else NULL */
  gboolean enabled;
  gboolean assisted_only;     /* default FALSE */
  gboolean requires_identity; /* default TRUE */
} LinliCatalogItem;

typedef struct
{
  char *version;
  GDateTime *generated_at;
  GPtrArray *categories; /* LinliCategory *, display order as sent */
  GPtrArray *items;      /* LinliCatalogItem * (references) */
  /* Codes of items whose flow this kiosk does not know: left out of @items,
   * as the contract asks, and reported in the heartbeat. */
  GPtrArray *ignored_item_codes; /* char * */
  char *etag;                    /* the ETag it came with, or NULL */
} LinliCatalog;

GType linli_catalog_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_CATALOG (linli_catalog_get_type ())
GType linli_catalog_item_get_type (void) G_GNUC_CONST;
#define LINLI_TYPE_CATALOG_ITEM (linli_catalog_item_get_type ())

LinliCatalog *linli_catalog_new_from_json (JsonNode *node, GError **error);
LinliCatalog *linli_catalog_ref (LinliCatalog *self);
void linli_catalog_unref (LinliCatalog *self);
/* The item with this code, or NULL. */
LinliCatalogItem *linli_catalog_lookup_item (LinliCatalog *self, const char *item_code);
/* Sets the ETag (LinliPlatform and the cache do, before anyone else sees it). */
void linli_catalog_set_etag (LinliCatalog *self, const char *etag);

/* A single item (getCatalogItem): an unknown flow is an error here. */
LinliCatalogItem *linli_catalog_item_new_from_json (JsonNode *node, GError **error);
LinliCatalogItem *linli_catalog_item_ref (LinliCatalogItem *self);
void linli_catalog_item_unref (LinliCatalogItem *self);
/* The field named @name, or NULL. */
const LinliField *linli_catalog_item_lookup_field (LinliCatalogItem *self, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliCatalog, linli_catalog_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinliCatalogItem, linli_catalog_item_unref)

G_END_DECLS
