/* linli-outbox-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "linli-outbox-entry.h"

G_DEFINE_BOXED_TYPE (LinliOutboxEntry,
                     linli_outbox_entry,
                     linli_outbox_entry_copy,
                     linli_outbox_entry_free)

const char *
linli_outbox_state_to_string (LinliOutboxState state)
{
  switch (state)
    {
    case LINLI_OUTBOX_STATE_PENDING:
      return "pending";
    case LINLI_OUTBOX_STATE_REFUSED:
      return "refused";
    default:
      return "unknown";
    }
}

LinliOutboxEntry *
linli_outbox_entry_copy (const LinliOutboxEntry *entry)
{
  LinliOutboxEntry *copy = g_new (LinliOutboxEntry, 1);

  *copy = *entry;
  copy->kind = g_strdup (entry->kind);
  copy->path = g_strdup (entry->path);
  copy->content_type = g_strdup (entry->content_type);
  copy->idempotency_key = g_strdup (entry->idempotency_key);
  copy->last_error_code = g_strdup (entry->last_error_code);
  copy->refused_code = g_strdup (entry->refused_code);
  copy->refused_message = g_strdup (entry->refused_message);
  return copy;
}

void
linli_outbox_entry_free (LinliOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->path);
  g_free (entry->content_type);
  g_free (entry->idempotency_key);
  g_free (entry->last_error_code);
  g_free (entry->refused_code);
  g_free (entry->refused_message);
  g_free (entry);
}
