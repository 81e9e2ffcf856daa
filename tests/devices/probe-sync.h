/* probe-sync.h: runs linli_device_probe_async() to completion, for tests. */
#pragma once

#include "linli-device.h"

static void
probe_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Returns: whether the probe finished (it fails only when cancelled) */
static inline gboolean
probe_sync (LinliDevice *device, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  linli_device_probe_async (device, cancellable, probe_sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return linli_device_probe_finish (device, result, error);
}

/* Probes and checks the state, printing the detail for the test log. */
#define assert_probe_state(device, expected)                                             \
  G_STMT_START                                                                           \
  {                                                                                      \
    g_autoptr (GError) probe_error = NULL;                                               \
    g_assert_true (probe_sync ((device), NULL, &probe_error));                           \
    g_assert_no_error (probe_error);                                                     \
    g_test_message ("%s: %s: %s", linli_device_get_name (device),                        \
                    linli_device_state_to_string (linli_device_get_state (device)),      \
                    linli_device_get_detail (device));                                   \
    g_assert_cmpstr (linli_device_state_to_string (linli_device_get_state (device)), ==, \
                     linli_device_state_to_string (expected));                           \
  }                                                                                      \
  G_STMT_END
