/* linli-diag-identity.h: an identity as linli-diag read-card / read-id print
 * it (issue 4 item 5). Unmasked: the maintainer at the kiosk asked for it. */
#pragma once

#include <json-glib/json-glib.h>

#include "linli-identity.h"

G_BEGIN_DECLS

/* An object with exactly the keys card_type, name, gender, nation_code,
 * nation, birth_date, address, id_number, issuer, valid_from, valid_to,
 * expired, id_number_valid, source; absent fields are null. */
JsonNode *linli_diag_identity_to_json (const LinliIdentity *identity);

/* The same keys, one "key: value" line each, "-" for an absent field. */
char *linli_diag_identity_to_text (const LinliIdentity *identity);

/* Prints one or the other on standard output. */
void linli_diag_identity_print (const LinliIdentity *identity, gboolean json);

G_END_DECLS
