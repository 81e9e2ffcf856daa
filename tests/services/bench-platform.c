/* bench-platform.c — the platform client's round trip on loopback TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under tests/rigs/platform-rig.sh (the simulator on loopback): N requests
 * of each kind, one after the other, timed from the call to the callback:
 *   - GET /catalog revalidated (304 from a cached ETag, the kiosk's most
 *     frequent request), on a kept-alive connection and on a new one each
 *     time (TCP + TLS 1.3 handshake with client certificate);
 *   - POST /residents/lookup (a small JSON answer, parsed and validated):
 *     libsoup sends a POST without an Idempotency-Key on a new connection
 *     each time, so "keep-alive" makes no difference there;
 *   - POST /payments with an Idempotency-Key (a new order each time): keyed
 *     submissions may reuse the connection;
 *   - GET /catalog in full (about 11 KiB of JSON parsed into the catalog).
 * Prints median, p95 and max. Figures, never assertions: it fails only
 * when a request fails. Argument: N (default 200).
 */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "linli-platform.h"

typedef enum
{
  KIND_CATALOG_304,
  KIND_LOOKUP,
  KIND_CATALOG_FULL,
  KIND_PAYMENT,
} Kind;

static char *bill_id;
static gint64 bill_amount;

static GAsyncResult *pending;

static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  pending = g_object_ref (result);
}

static int
compare (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
one (LinliPlatform *platform, Kind kind, const char *id_number)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;

  pending = NULL;
  if (kind == KIND_LOOKUP)
    linli_platform_lookup_resident_async (platform, id_number, LINLI_LOOKUP_SOURCE_ID_CARD, NULL,
                                          NULL, NULL, got_result, NULL);
  else if (kind == KIND_PAYMENT)
    {
      g_autofree char *key = g_uuid_string_random ();

      linli_platform_create_payment_order_async (platform, LINLI_PAYABLE_UTILITY_BILL, bill_id,
                                                 bill_amount, NULL, key, NULL, got_result, NULL);
    }
  else
    linli_platform_get_catalog_async (platform, NULL, got_result, NULL);
  while (pending == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (kind == KIND_LOOKUP)
    {
      g_autoptr (LinliResident) resident
          = linli_platform_lookup_resident_finish (platform, pending, &error);

      ok = resident != NULL;
    }
  else if (kind == KIND_PAYMENT)
    {
      g_autoptr (LinliPaymentOrder) order
          = linli_platform_create_payment_order_finish (platform, pending, &error);

      ok = order != NULL;
    }
  else
    {
      gboolean stale = FALSE;
      g_autoptr (LinliCatalog) catalog
          = linli_platform_get_catalog_finish (platform, pending, &stale, &error);

      ok = catalog != NULL && !stale;
    }
  g_clear_object (&pending);
  if (!ok)
    g_printerr ("request failed: %s (%s)\n", error != NULL ? error->message : "stale",
                error != NULL ? linli_platform_error_get_detail (error) : "");
  return ok;
}

static gboolean
measure (const char *label, LinliPlatform *platform, Kind kind, const char *id_number, guint n)
{
  g_autofree double *ms = g_new (double, n);

  /* One first, unmeasured: the connection, the cache file. */
  if (!one (platform, kind, id_number))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      if (!one (platform, kind, id_number))
        return FALSE;
      ms[i] = (double) (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (ms, n, sizeof *ms, compare);
  g_print ("%-40s n=%-4u median %6.2f ms   p95 %6.2f ms   max %6.2f ms\n", label, n, ms[n / 2],
           ms[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1], ms[n - 1]);
  return TRUE;
}

static LinliPlatform *
new_platform (gboolean keep_alive, LinliCatalogCache *cache)
{
  g_autoptr (GError) error = NULL;
  LinliPlatform *platform
      = linli_platform_new (g_getenv ("LINLI_PLATFORM_URL"), g_getenv ("LINLI_PLATFORM_KIOSK_ID"),
                            g_getenv ("LINLI_PLATFORM_CA"), g_getenv ("LINLI_PLATFORM_CERT"),
                            g_getenv ("LINLI_PLATFORM_KEY"), &error);

  if (platform == NULL)
    g_error ("%s", error->message);
  linli_platform_set_keep_alive (platform, keep_alive);
  linli_platform_set_catalog_cache (platform, cache);
  return platform;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  g_autofree char *dir = NULL;
  g_autoptr (LinliCatalogCache) cache = NULL;
  g_autoptr (LinliPlatform) kept = NULL;
  g_autoptr (LinliPlatform) fresh = NULL;
  g_autoptr (LinliPlatform) uncached = NULL;
  gboolean ok;

  if (g_getenv ("LINLI_PLATFORM_URL") == NULL)
    {
      g_printerr ("run under tests/rigs/platform-rig.sh\n");
      return g_getenv ("CI") != NULL ? 1 : 77;
    }
  if (n < 10)
    n = 10;
  dir = g_dir_make_tmp ("linli-bench-XXXXXX", NULL);
  cache = linli_catalog_cache_new (dir);
  kept = new_platform (TRUE, cache);
  fresh = new_platform (FALSE, cache);
  uncached = new_platform (TRUE, NULL);

  /* An unpaid bill of the seeded elder (李秀英), for the payment orders. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (LinliUtilityBills) bills = NULL;

    pending = NULL;
    linli_platform_list_utility_bills_async (kept, LINLI_UTILITY_TYPE_WATER, "0012345678", NULL,
                                             got_result, NULL);
    while (pending == NULL)
      g_main_context_iteration (NULL, TRUE);
    bills = linli_platform_list_utility_bills_finish (kept, pending, &error);
    g_clear_object (&pending);
    if (bills == NULL || bills->bills->len == 0)
      g_error ("no bills: %s", error != NULL ? error->message : "none");
    bill_id = g_strdup (((LinliUtilityBill *) bills->bills->pdata[0])->bill_id);
    bill_amount = ((LinliUtilityBill *) bills->bills->pdata[0])->amount_fen;
  }

  g_print ("LinliPlatform round trips on loopback TLS (linli-platform-sim)\n");
  ok = measure ("GET /catalog 304, keep-alive", kept, KIND_CATALOG_304, NULL, n)
       && measure ("GET /catalog 304, new connection", fresh, KIND_CATALOG_304, NULL, n)
       && measure ("POST /residents/lookup, keep-alive", kept, KIND_LOOKUP, "11010519491231002X", n)
       && measure ("POST /residents/lookup, new connection", fresh, KIND_LOOKUP,
                   "11010519491231002X", n)
       && measure ("POST /payments (keyed), keep-alive", kept, KIND_PAYMENT, NULL, n)
       && measure ("POST /payments (keyed), new connection", fresh, KIND_PAYMENT, NULL, n)
       && measure ("GET /catalog 200 (~11 KiB), keep-alive", uncached, KIND_CATALOG_FULL, NULL, n);
  g_free (bill_id);
  linli_catalog_cache_clear (cache, NULL);
  g_rmdir (dir);
  return ok ? 0 : 1;
}
