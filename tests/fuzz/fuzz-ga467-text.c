/* fuzz-ga467-text.c: the GA/T 467 text-block decoder on arbitrary bytes.
 * Whatever comes in, it must return an identity or an error, never crash,
 * leak or read outside the block. The first 256 bytes are also tried as a
 * block on their own (the rest as the photo), so that the fuzzer spends its
 * time inside the fields and not on the length check. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "linli-identity.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
exercise (const LinliIdentity *id)
{
  g_autoptr (GDateTime) day = g_date_time_new_utc (2024, 2, 29, 0, 0, 0);
  g_autofree char *name = linli_identity_dup_masked_name (id);
  g_autofree char *number = linli_identity_dup_masked_id_number (id);

  /* The identity holds only valid UTF-8 and never a NULL name or number. */
  g_assert (g_utf8_validate (linli_identity_get_name (id), -1, NULL));
  g_assert (linli_identity_get_id_number (id) != NULL);
  g_assert (name != NULL && number != NULL);
  (void) linli_identity_get_nation (id);
  (void) linli_identity_is_expired (id, day);
  (void) linli_identity_get_id_number_valid (id);
}

static void
decode (const uint8_t *text, size_t length, GBytes *photo)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliIdentity) id
      = linli_identity_new_from_ga467_text (text, length, photo, "fuzz", &error);

  g_assert ((id == NULL) != (error == NULL));
  if (id != NULL)
    exercise (id);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so ASan sees any read past the end. */
  g_autofree uint8_t *copy = g_memdup2 (data, size);

  decode (size > 0 ? copy : (const uint8_t *) "", size, NULL);
  if (size >= 256)
    {
      g_autoptr (GBytes) photo = g_bytes_new (copy + 256, size - 256);

      decode (copy, 256, photo);
    }

  /* The string helpers on the same bytes as text. */
  {
    g_autofree char *text = g_strndup ((const char *) data, size);
    g_autofree char *name = linli_mask_name (text);
    g_autofree char *number = linli_mask_id_number (text);

    g_assert (name != NULL && number != NULL);
    (void) linli_id_number_check (text);
    (void) linli_nation_name (text);
  }
  return 0;
}
