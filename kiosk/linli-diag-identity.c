/* linli-diag-identity.c
 *
 * The identity in linli-diag's output. Both forms walk one list of fields so
 * that the text and the JSON can never disagree on a key.
 */
#define G_LOG_DOMAIN "linli-diag"

#include "linli-diag-identity.h"

typedef enum
{
  FIELD_STRING,
  FIELD_BOOLEAN,
} FieldKind;

typedef struct
{
  const char *key;
  FieldKind kind;
  const char *string; /* NULL: absent */
  gboolean boolean;
} Field;

static const char *
gender_string (LinliGender gender)
{
  switch (gender)
    {
    case LINLI_GENDER_MALE:
      return "male";
    case LINLI_GENDER_FEMALE:
      return "female";
    case LINLI_GENDER_UNKNOWN:
    default:
      return NULL;
    }
}

#define N_FIELDS 14

/* The fields point into @identity: use them while it lives. */
static void
collect_fields (const LinliIdentity *identity, Field fields[N_FIELDS])
{
  const Field all[N_FIELDS] = {
    { "card_type", FIELD_STRING,
      linli_card_type_to_string (linli_identity_get_card_type (identity)), FALSE },
    { "name", FIELD_STRING, linli_identity_get_name (identity), FALSE },
    { "gender", FIELD_STRING, gender_string (linli_identity_get_gender (identity)), FALSE },
    { "nation_code", FIELD_STRING, linli_identity_get_nation_code (identity), FALSE },
    { "nation", FIELD_STRING, linli_identity_get_nation (identity), FALSE },
    { "birth_date", FIELD_STRING, linli_identity_get_birth_date (identity), FALSE },
    { "address", FIELD_STRING, linli_identity_get_address (identity), FALSE },
    { "id_number", FIELD_STRING, linli_identity_get_id_number (identity), FALSE },
    { "issuer", FIELD_STRING, linli_identity_get_issuer (identity), FALSE },
    { "valid_from", FIELD_STRING, linli_identity_get_valid_from (identity), FALSE },
    { "valid_to", FIELD_STRING, linli_identity_get_valid_to (identity), FALSE },
    { "expired", FIELD_BOOLEAN, NULL, linli_identity_is_expired (identity, NULL) },
    { "id_number_valid", FIELD_BOOLEAN, NULL, linli_identity_get_id_number_valid (identity) },
    { "source", FIELD_STRING, linli_identity_get_source (identity), FALSE },
  };

  for (guint i = 0; i < N_FIELDS; i++)
    fields[i] = all[i];
}

JsonNode *
linli_diag_identity_to_json (const LinliIdentity *identity)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  Field fields[N_FIELDS];

  g_return_val_if_fail (identity != NULL, NULL);

  collect_fields (identity, fields);
  json_builder_begin_object (builder);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      json_builder_set_member_name (builder, fields[i].key);
      if (fields[i].kind == FIELD_BOOLEAN)
        json_builder_add_boolean_value (builder, fields[i].boolean);
      else if (fields[i].string != NULL)
        json_builder_add_string_value (builder, fields[i].string);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
linli_diag_identity_to_text (const LinliIdentity *identity)
{
  GString *text;
  Field fields[N_FIELDS];

  g_return_val_if_fail (identity != NULL, NULL);

  text = g_string_new (NULL);
  collect_fields (identity, fields);
  for (guint i = 0; i < N_FIELDS; i++)
    {
      const char *value;

      if (fields[i].kind == FIELD_BOOLEAN)
        value = fields[i].boolean ? "yes" : "no";
      else
        value = fields[i].string != NULL ? fields[i].string : "-";
      g_string_append_printf (text, "%s: %s\n", fields[i].key, value);
    }
  return g_string_free (text, FALSE);
}

void
linli_diag_identity_print (const LinliIdentity *identity, gboolean json)
{
  if (json)
    {
      g_autoptr (JsonNode) root = linli_diag_identity_to_json (identity);
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = linli_diag_identity_to_text (identity);

      g_print ("%s", text);
      if (text[0] != '\0' && !g_str_has_suffix (text, "\n"))
        g_print ("\n");
    }
}
