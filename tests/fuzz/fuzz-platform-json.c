/* fuzz-platform-json.c: arbitrary bytes into every parser of the county
 * platform's answers. The first byte picks the parser (the seeds use the
 * letters below; any other byte picks one by its value modulo the count, so
 * every mutation still reaches a parser), the rest is the body:
 *
 *   C Catalog          I CatalogItem      R Resident          S ContributionRecord
 *   Q InsuredCertificate                  P PensionCertification
 *   M MedicalInsuranceAccount             D ContributionDue   U UtilityBills
 *   O PaymentOrder     A Application      L ApplicationList   V Evaluation
 *   H HeartbeatAck     E an error answer: three digits of HTTP status, then the body
 *   K the catalog cache file
 *
 * Nothing may crash, leak or read out of bounds (ASan, valgrind); a parser
 * gives a model or an INVALID_RESPONSE error, never both, never neither; an
 * error answer always becomes a GError with a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "linli-platform.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#include "../services/platform-parsers.h"

/* The two inputs that are not a model: an error body and the catalog
 * cache's file, after the models in the modulo fallback below. */
#define TAG_ERROR 'E'
#define TAG_CACHE 'K'
#define N_TARGETS (G_N_ELEMENTS (platform_parsers) + 2)

static void
check_invalid (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (
      g_error_matches (error, LINLI_PLATFORM_ERROR, LINLI_PLATFORM_ERROR_INVALID_RESPONSE));
  g_assert_true (error->message[0] != '\0');
}

static void
fuzz_error (const char *body, gsize length)
{
  static const guint statuses[] = { 400, 401, 403, 404, 409, 413, 422, 429, 500, 503, 302 };
  guint status = 500;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;
  g_autofree char *retry_after = NULL;

  if (length >= 3 && g_ascii_isdigit (body[0]) && g_ascii_isdigit (body[1])
      && g_ascii_isdigit (body[2]))
    {
      status = (guint) ((body[0] - '0') * 100 + (body[1] - '0') * 10 + (body[2] - '0'));
      body += 3;
      length -= 3;
    }
  else if (length > 0)
    status = statuses[(guint8) body[0] % G_N_ELEMENTS (statuses)];
  bytes = g_bytes_new (body, length);
  /* The body's first bytes also stand in for a Retry-After header. */
  retry_after = g_strndup (body, MIN (length, 8));
  error
      = linli_platform_error_new_from_response (status, bytes, retry_after, NULL, length % 2 == 0);
  g_assert_nonnull (error);
  g_assert_true (error->domain == LINLI_PLATFORM_ERROR);
  g_assert_true (error->message != NULL && error->message[0] != '\0');
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (linli_platform_error_get_http_status (error), ==, status);
  /* The extended members survive a copy (GTask and the outbox copy). */
  copy = g_error_copy (error);
  g_assert_cmpstr (linli_platform_error_get_code (copy), ==, linli_platform_error_get_code (error));
  g_assert_cmpint (linli_platform_error_get_retry_after (copy), ==,
                   linli_platform_error_get_retry_after (error));
  (void) linli_platform_error_is_definitive (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  guint index = 0;
  const char *body;
  gsize length;

  if (size == 0)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (platform_parsers); i++)
    if (platform_parsers[i].tag == (char) data[0])
      index = i + 1;
  if (data[0] == TAG_ERROR)
    index = G_N_ELEMENTS (platform_parsers) + 1;
  else if (data[0] == TAG_CACHE)
    index = G_N_ELEMENTS (platform_parsers) + 2;
  index = index > 0 ? index - 1 : data[0] % N_TARGETS;
  body = (const char *) data + 1;
  length = size - 1;

  if (index == G_N_ELEMENTS (platform_parsers))
    fuzz_error (body, length);
  else if (index == G_N_ELEMENTS (platform_parsers) + 1)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (LinliCatalog) catalog = linli_catalog_cache_parse (body, length, &error);

      if (catalog == NULL)
        check_invalid (error);
      else
        g_assert_null (error);
    }
  else
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = linli_json_parse (body, length, 0, &error);
      gpointer model = NULL;

      if (node == NULL)
        {
          check_invalid (error);
          return 0;
        }
      model = platform_parsers[index].parse (node, &error);
      if (model == NULL)
        check_invalid (error);
      else
        {
          g_assert_null (error);
          platform_parsers[index].free_func (model);
        }
      linli_json_node_wipe (node);
    }
  return 0;
}
