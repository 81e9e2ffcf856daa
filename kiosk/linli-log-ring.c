/* linli-log-ring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GLib structured log writer that keeps the newest messages in memory for
 * the maintenance screen and passes every message on unchanged to GLib's
 * default writer (the journal, or stderr). Only the copy in the ring is
 * redacted: the project's rule already keeps personal data out of logs,
 * and the redaction is a second line for a screen that anyone standing
 * behind the maintainer can read.
 */
#define G_LOG_DOMAIN "linli-log-ring"

#include "linli-log-ring.h"

struct _LinliLogRing
{
  GObject parent_instance;

  GMutex lock;
  GQueue entries; /* LinliLogEntry, oldest first */
  guint capacity;
  guint64 errors;
};

G_DEFINE_FINAL_TYPE (LinliLogRing, linli_log_ring, G_TYPE_OBJECT)

static LinliLogRing *default_ring;

void
linli_log_entry_free (LinliLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->domain);
  g_free (entry->message);
  g_free (entry);
}

const char *
linli_log_level_to_string (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

static void
linli_log_ring_finalize (GObject *object)
{
  LinliLogRing *self = LINLI_LOG_RING (object);

  g_queue_clear_full (&self->entries, (GDestroyNotify) linli_log_entry_free);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (linli_log_ring_parent_class)->finalize (object);
}

static void
linli_log_ring_class_init (LinliLogRingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = linli_log_ring_finalize;
}

static void
linli_log_ring_init (LinliLogRing *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->entries);
}

LinliLogRing *
linli_log_ring_new (guint capacity)
{
  LinliLogRing *self = g_object_new (LINLI_TYPE_LOG_RING, NULL);

  self->capacity = MAX (capacity, 1);
  return self;
}

/* Compiled once: the writer runs for every message. */
static GRegex *
redaction_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      /* Not inside a longer run of digits (an ID is not a part of a
       * timestamp): an 18-character ID (17 digits and a digit or X), a
       * 15-digit first-generation ID, a mobile number (+86 optional), a
       * landline with its area code. */
      GRegex *compiled = g_regex_new ("(?<![0-9A-Za-z])(?:"
                                      "[0-9]{17}[0-9Xx]"
                                      "|[0-9]{15}"
                                      "|(?:\\+?86[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}"
                                      "|0[1-9][0-9]{1,2}-[0-9]{7,8}"
                                      ")(?![0-9A-Za-z])",
                                      G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&regex, compiled);
    }
  return regex;
}

char *
linli_log_redact (const char *message)
{
  if (message == NULL)
    return NULL;
  return g_regex_replace_literal (redaction_regex (), message, -1, 0, "[redacted]", 0, NULL);
}

void
linli_log_ring_add (LinliLogRing *self,
                    GLogLevelFlags level,
                    const char *domain,
                    const char *message)
{
  LinliLogEntry *entry;

  g_return_if_fail (LINLI_IS_LOG_RING (self));

  if ((level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_DEBUG || message == NULL)
    return;
  entry = g_new0 (LinliLogEntry, 1);
  entry->level = level & G_LOG_LEVEL_MASK;
  entry->domain = g_strdup (domain);
  entry->time = g_get_real_time ();
  entry->message = linli_log_redact (message);

  g_mutex_lock (&self->lock);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    self->errors++;
  g_queue_push_tail (&self->entries, entry);
  while (g_queue_get_length (&self->entries) > self->capacity)
    linli_log_entry_free (g_queue_pop_head (&self->entries));
  g_mutex_unlock (&self->lock);
}

GPtrArray *
linli_log_ring_dup_entries (LinliLogRing *self)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) linli_log_entry_free);

  g_return_val_if_fail (LINLI_IS_LOG_RING (self), entries);

  g_mutex_lock (&self->lock);
  for (GList *l = self->entries.head; l != NULL; l = l->next)
    {
      LinliLogEntry *entry = l->data;
      LinliLogEntry *copy = g_new0 (LinliLogEntry, 1);

      copy->level = entry->level;
      copy->domain = g_strdup (entry->domain);
      copy->time = entry->time;
      copy->message = g_strdup (entry->message);
      g_ptr_array_add (entries, copy);
    }
  g_mutex_unlock (&self->lock);
  return entries;
}

guint64
linli_log_ring_get_error_count (LinliLogRing *self)
{
  guint64 errors;

  g_return_val_if_fail (LINLI_IS_LOG_RING (self), 0);
  g_mutex_lock (&self->lock);
  errors = self->errors;
  g_mutex_unlock (&self->lock);
  return errors;
}

static GLogWriterOutput
ring_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  LinliLogRing *self = user_data;
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
      else if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
    }
  linli_log_ring_add (self, level, domain, message);
  return g_log_writer_default (level, fields, n_fields, NULL);
}

void
linli_log_ring_install (LinliLogRing *self)
{
  g_return_if_fail (LINLI_IS_LOG_RING (self));
  g_return_if_fail (default_ring == NULL);

  /* Lives as long as the process: the writer cannot be removed. */
  default_ring = g_object_ref (self);
  g_log_set_writer_func (ring_writer, default_ring, NULL);
}

LinliLogRing *
linli_log_ring_get_default (void)
{
  return default_ring;
}
