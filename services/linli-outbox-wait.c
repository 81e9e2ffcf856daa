/* linli-outbox-wait.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A resident at the kiosk waits a little for the platform's answer to what
 * was just put in the outbox (a certification, an application), so that
 * the receipt can carry the platform's number. The entry does not depend
 * on the wait: a wait that times out or is cancelled leaves it pending,
 * and the outbox still sends it exactly once.
 */
#define G_LOG_DOMAIN "linli-outbox"

#include "linli-outbox.h"

typedef struct
{
  char *key;
  LinliOutbox *outbox;
  GCancellable *cancellable;
  gulong delivered_id;
  gulong refused_id;
  gulong cancelled_id;
  guint timeout_id;
} Waiting;

/* Whichever of delivered, refused, timed out or cancelled comes first ends
 * the wait: the others are disconnected before the task returns. */
static void
stop_waiting (Waiting *waiting)
{
  g_clear_signal_handler (&waiting->delivered_id, waiting->outbox);
  g_clear_signal_handler (&waiting->refused_id, waiting->outbox);
  if (waiting->cancelled_id != 0)
    {
      /* Not g_cancellable_disconnect (): this may run inside the
       * cancelled handler itself, which it would wait for. */
      g_signal_handler_disconnect (waiting->cancellable, waiting->cancelled_id);
      waiting->cancelled_id = 0;
    }
  g_clear_handle_id (&waiting->timeout_id, g_source_remove);
}

static void
waiting_free (Waiting *waiting)
{
  stop_waiting (waiting);
  g_clear_object (&waiting->outbox);
  g_clear_object (&waiting->cancellable);
  g_free (waiting->key);
  g_free (waiting);
}

static void
on_delivered (
    LinliOutbox *outbox, const char *kind, const char *key, JsonNode *answer, gpointer user_data)
{
  GTask *task = user_data;
  Waiting *waiting = g_task_get_task_data (task);

  if (g_strcmp0 (key, waiting->key) != 0)
    return;
  stop_waiting (waiting);
  g_task_return_pointer (task, answer != NULL ? json_node_copy (answer) : NULL,
                         (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

static void
on_refused (LinliOutbox *outbox, const char *kind, const char *key, GError *why, gpointer user_data)
{
  GTask *task = user_data;
  Waiting *waiting = g_task_get_task_data (task);

  if (g_strcmp0 (key, waiting->key) != 0)
    return;
  stop_waiting (waiting);
  g_task_return_error (task, g_error_copy (why));
  g_object_unref (task);
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Waiting *waiting = g_task_get_task_data (task);

  waiting->timeout_id = 0;
  stop_waiting (waiting);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           "no answer from the platform in time; the entry is still pending");
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  Waiting *waiting = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  stop_waiting (waiting);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  g_task_return_error (task, g_steal_pointer (&error));
  g_object_unref (task);
}

/**
 * linli_outbox_wait_async:
 * @idempotency_key: the entry's key, from linli_outbox_enqueue()
 * @timeout_seconds: how long to wait
 *
 * Waits for the platform's answer to one entry and asks for it to be sent
 * now. Finishes with the answer once the entry is delivered, the
 * platform's error once it is refused, G_IO_ERROR_TIMED_OUT when neither
 * came in time, or G_IO_ERROR_CANCELLED. Only the main context's
 * deliveries are seen: call it from the thread the outbox lives on.
 */
void
linli_outbox_wait_async (LinliOutbox *self,
                         const char *idempotency_key,
                         guint timeout_seconds,
                         GCancellable *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Waiting *waiting;

  g_return_if_fail (LINLI_IS_OUTBOX (self));
  g_return_if_fail (idempotency_key != NULL);
  g_task_set_source_tag (task, linli_outbox_wait_async);

  if (g_task_return_error_if_cancelled (task))
    return;
  waiting = g_new0 (Waiting, 1);
  waiting->key = g_strdup (idempotency_key);
  waiting->outbox = g_object_ref (self);
  g_task_set_task_data (task, waiting, (GDestroyNotify) waiting_free);
  /* The task holds one reference for whichever of the four ends it. */
  g_object_ref (task);
  waiting->delivered_id
      = g_signal_connect (self, "entry-delivered", G_CALLBACK (on_delivered), task);
  waiting->refused_id = g_signal_connect (self, "entry-refused", G_CALLBACK (on_refused), task);
  waiting->timeout_id = g_timeout_add_seconds (timeout_seconds, on_timeout, task);
  if (cancellable != NULL)
    {
      waiting->cancellable = g_object_ref (cancellable);
      waiting->cancelled_id
          = g_signal_connect (cancellable, "cancelled", G_CALLBACK (on_cancelled), task);
    }
  linli_outbox_kick (self);
}

/**
 * linli_outbox_wait_finish:
 *
 * Returns: (transfer full): the platform's answer to the entry (may be a
 * JSON null node), or NULL with @error set.
 */
JsonNode *
linli_outbox_wait_finish (LinliOutbox *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
