/* linli-usb-inventory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inventory keeps one libusb context and a worker thread. Where libusb
 * has hotplug support (Linux with udev or netlink), a hotplug callback
 * marks the bus as changed and the worker, which sits in
 * libusb_handle_events_timeout_completed(), enumerates again; elsewhere,
 * or when "use-hotplug" is off, the worker enumerates every "interval"
 * seconds. Either way a whole snapshot of the bus (vendor:product, bus,
 * address, class, strings) goes to the owner's main context, where it is
 * matched against the configured roles and replaces the list if anything
 * differs.
 *
 * Stopping: the worker is told through a flag under a mutex, the
 * completion flag libusb_handle_events_timeout_completed() watches and
 * libusb_interrupt_event_handler(), or the condition it waits on while
 * polling; stop() joins it, deregisters the callback and frees the
 * context.
 *
 * String descriptors need libusb_open(), which fails without access to
 * the device node (the kiosk's user has only the devices its udev rules
 * grant): the strings then stay empty. They are read once per device
 * (bus, address and ids): a replugged device gets a new address and is
 * asked again. Serial numbers are never read, so they cannot reach a log.
 */
#define G_LOG_DOMAIN "linli-usb"

#include "linli-usb-inventory.h"

#include "linli-ga467-usb.h"

#include <libusb.h>

G_DEFINE_QUARK (linli_usb_inventory_error_quark, linli_usb_inventory_error)

/* Per control transfer when reading strings: a device that does not answer
 * delays the snapshot (and stop()) by this much, no more. */
#define STRING_TIMEOUT_MS 250
/* How long the worker waits for libusb events before looking at its flags
 * again when nothing interrupts it; only a safety net. */
#define HOTPLUG_WAIT_MS 5000

/* One device as the worker saw it. */
typedef struct
{
  guint16 vendor_id;
  guint16 product_id;
  guint8 bus;
  guint8 address;
  guint8 device_class;
  char *manufacturer;
  char *product;
} Seen;

typedef struct
{
  char *manufacturer;
  char *product;
} Strings;

typedef struct
{
  gatomicrefcount ref;

  GMutex lock;
  GCond cond;
  gboolean stop;     /* under lock */
  gboolean wake;     /* under lock: enumerate now */
  guint interval_ms; /* under lock */
  int completed;     /* libusb_handle_events_timeout_completed()'s flag */
  int dirty;         /* atomic: a hotplug event arrived */

  libusb_context *ctx;
  gboolean hotplug;
  libusb_hotplug_callback_handle hotplug_handle;
  GThread *thread;

  GMainContext *owner;
  GWeakRef inventory;
  GHashTable *strings; /* worker thread only: "bus.address.vid.pid" → Strings */
} Worker;

struct _LinliUsbInventory
{
  GObject parent_instance;

  GArray *role_ids[LINLI_USB_N_ROLES]; /* guint32 vendor << 16 | product */
  char *role_text[LINLI_USB_N_ROLES];  /* normalised, for items and reports */
  guint interval;
  gboolean use_hotplug;

  Worker *worker;
  GPtrArray *items; /* LinliUsbDeviceInfo */
  gboolean ready;
  char *problem;
};

static void linli_usb_inventory_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LinliUsbInventory,
                               linli_usb_inventory,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      linli_usb_inventory_list_model_init))

enum
{
  PROP_0,
  PROP_INTERVAL,
  PROP_USE_HOTPLUG,
  PROP_READY,
  PROP_HOTPLUG_ACTIVE,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
seen_free (gpointer data)
{
  Seen *seen = data;

  g_free (seen->manufacturer);
  g_free (seen->product);
  g_free (seen);
}

static void
strings_free (gpointer data)
{
  Strings *strings = data;

  g_free (strings->manufacturer);
  g_free (strings->product);
  g_free (strings);
}

/* --- the worker thread --- */

static Worker *
worker_ref (Worker *w)
{
  g_atomic_ref_count_inc (&w->ref);
  return w;
}

static void
worker_unref (Worker *w)
{
  if (!g_atomic_ref_count_dec (&w->ref))
    return;
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_weak_ref_clear (&w->inventory);
  g_main_context_unref (w->owner);
  g_hash_table_unref (w->strings);
  g_free (w);
}

/* Reads string descriptor @index in @langid as UTF-8, or NULL. */
static char *
read_string (libusb_device_handle *handle, guint8 index, guint16 langid)
{
  guint8 buffer[255];
  gunichar2 units[127];
  glong n_units;
  int r;

  if (index == 0)
    return NULL;
  r = libusb_control_transfer (handle, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
                               (guint16) (LIBUSB_DT_STRING << 8 | index), langid, buffer,
                               sizeof buffer, STRING_TIMEOUT_MS);
  if (r < 2 || buffer[1] != LIBUSB_DT_STRING)
    return NULL;
  n_units = (MIN (r, buffer[0]) - 2) / 2;
  if (n_units <= 0)
    return NULL;
  for (glong i = 0; i < n_units; i++)
    units[i] = (gunichar2) (buffer[2 + 2 * i] | buffer[3 + 2 * i] << 8);

  /* A device's text is shown and logged as it is: nothing that would
   * break a line or a table, and nothing that is not UTF-16. */
  g_autofree char *text = g_utf16_to_utf8 (units, n_units, NULL, NULL, NULL);
  if (text == NULL)
    return NULL;
  g_strdelimit (text, "\r\n\t\v\f", ' ');
  g_strstrip (text);
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static Strings *
read_strings (libusb_device *device, const struct libusb_device_descriptor *desc)
{
  Strings *strings = g_new0 (Strings, 1);
  libusb_device_handle *handle = NULL;
  guint8 langids[255];
  int r;

  if (desc->iManufacturer == 0 && desc->iProduct == 0)
    return strings;

  r = libusb_open (device, &handle);
  if (r != LIBUSB_SUCCESS)
    {
      /* Usually LIBUSB_ERROR_ACCESS: the kiosk's user may open only the
       * devices its udev rules give it. */
      g_debug ("%04x:%04x: no strings (%s)", desc->idVendor, desc->idProduct,
               libusb_error_name (r));
      return strings;
    }

  /* String descriptor 0 lists the languages; the first is the device's own. */
  r = libusb_control_transfer (handle, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_DESCRIPTOR,
                               LIBUSB_DT_STRING << 8, 0, langids, sizeof langids,
                               STRING_TIMEOUT_MS);
  if (r >= 4 && langids[1] == LIBUSB_DT_STRING)
    {
      guint16 langid = (guint16) (langids[2] | langids[3] << 8);

      strings->manufacturer = read_string (handle, desc->iManufacturer, langid);
      strings->product = read_string (handle, desc->iProduct, langid);
    }
  else
    g_debug ("%04x:%04x: no string languages (%s)", desc->idVendor, desc->idProduct,
             r < 0 ? libusb_error_name (r) : "short answer");
  libusb_close (handle);
  return strings;
}

static int
compare_seen (gconstpointer a, gconstpointer b)
{
  const Seen *x = *(const Seen *const *) a;
  const Seen *y = *(const Seen *const *) b;

  if (x->bus != y->bus)
    return x->bus < y->bus ? -1 : 1;
  return x->address < y->address ? -1 : x->address > y->address;
}

/* Runs on the worker: one look at the bus. Returns: (transfer full) Seen items */
static GPtrArray *
enumerate (Worker *w)
{
  GPtrArray *snapshot = g_ptr_array_new_with_free_func (seen_free);
  g_autoptr (GHashTable) keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (w->ctx, &list);
  GHashTableIter iter;
  gpointer key;

  if (n < 0)
    {
      g_debug ("cannot list USB devices: %s", libusb_error_name ((int) n));
      n = 0;
    }

  for (ssize_t i = 0; i < n; i++)
    {
      struct libusb_device_descriptor desc;
      Seen *seen;
      Strings *strings;
      char *id;

      if (libusb_get_device_descriptor (list[i], &desc) != LIBUSB_SUCCESS)
        continue;
      seen = g_new0 (Seen, 1);
      seen->vendor_id = desc.idVendor;
      seen->product_id = desc.idProduct;
      seen->bus = libusb_get_bus_number (list[i]);
      seen->address = libusb_get_device_address (list[i]);
      seen->device_class = desc.bDeviceClass;
      g_ptr_array_add (snapshot, seen);

      /* Hubs are never listed: their strings are of no use. */
      if (desc.bDeviceClass == LIBUSB_CLASS_HUB)
        continue;
      id = g_strdup_printf ("%u.%u.%04x.%04x", seen->bus, seen->address, seen->vendor_id,
                            seen->product_id);
      strings = g_hash_table_lookup (w->strings, id);
      if (strings == NULL)
        {
          strings = read_strings (list[i], &desc);
          g_hash_table_insert (w->strings, g_strdup (id), strings);
        }
      g_hash_table_add (keep, id);
      seen->manufacturer = g_strdup (strings->manufacturer);
      seen->product = g_strdup (strings->product);
    }
  if (list != NULL)
    libusb_free_device_list (list, 1);

  /* Forget the strings of devices that left: whatever comes back at that
   * address is asked again. */
  g_hash_table_iter_init (&iter, w->strings);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (keep, key))
      g_hash_table_iter_remove (&iter);

  g_ptr_array_sort (snapshot, compare_seen);
  return snapshot;
}

typedef struct
{
  Worker *worker;
  GPtrArray *seen;
} Snapshot;

static void
snapshot_free (gpointer data)
{
  Snapshot *snapshot = data;

  worker_unref (snapshot->worker);
  g_ptr_array_unref (snapshot->seen);
  g_free (snapshot);
}

static void apply_snapshot (LinliUsbInventory *self, GPtrArray *seen);

static gboolean
deliver_snapshot (gpointer data)
{
  Snapshot *snapshot = data;
  g_autoptr (LinliUsbInventory) self = g_weak_ref_get (&snapshot->worker->inventory);

  /* A snapshot of a worker since stopped (or replaced) is stale. */
  if (self != NULL && self->worker == snapshot->worker)
    apply_snapshot (self, snapshot->seen);
  return G_SOURCE_REMOVE;
}

static void
post_snapshot (Worker *w, GPtrArray *seen)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->worker = worker_ref (w);
  snapshot->seen = seen;
  g_main_context_invoke_full (w->owner, G_PRIORITY_DEFAULT, deliver_snapshot, snapshot,
                              snapshot_free);
}

/* Runs on the thread that handles libusb events, that is the worker. */
static int LIBUSB_CALL
on_hotplug (libusb_context *ctx, libusb_device *device, libusb_hotplug_event event, void *data)
{
  Worker *w = data;

  g_atomic_int_set (&w->dirty, 1);
  return 0; /* stay registered */
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;

  post_snapshot (w, enumerate (w));
  for (;;)
    {
      gboolean stop, rescan;

      if (w->hotplug)
        {
          struct timeval tv = { HOTPLUG_WAIT_MS / 1000, (HOTPLUG_WAIT_MS % 1000) * 1000 };
          int r = libusb_handle_events_timeout_completed (w->ctx, &tv, &w->completed);

          if (r != LIBUSB_SUCCESS && r != LIBUSB_ERROR_INTERRUPTED)
            {
              /* Not expected; do not spin on it. */
              g_debug ("handling libusb events: %s", libusb_error_name (r));
              g_usleep (G_USEC_PER_SEC / 10);
            }
          g_mutex_lock (&w->lock);
          stop = w->stop;
          rescan = w->wake;
          w->wake = FALSE;
          g_mutex_unlock (&w->lock);
          rescan = g_atomic_int_exchange (&w->dirty, 0) || rescan;
        }
      else
        {
          g_mutex_lock (&w->lock);
          gint64 end = g_get_monotonic_time () + (gint64) w->interval_ms * G_TIME_SPAN_MILLISECOND;
          while (!w->stop && !w->wake)
            if (!g_cond_wait_until (&w->cond, &w->lock, end))
              break;
          stop = w->stop;
          w->wake = FALSE;
          g_mutex_unlock (&w->lock);
          rescan = TRUE;
        }
      if (stop)
        break;
      if (rescan)
        post_snapshot (w, enumerate (w));
    }
  return NULL;
}

/* --- matching, on the owner's context --- */

static gboolean
role_has_id (LinliUsbInventory *self, LinliUsbRole role, guint16 vendor_id, guint16 product_id)
{
  GArray *ids = self->role_ids[role];
  guint32 id = (guint32) vendor_id << 16 | product_id;

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint32, i) == id)
      return TRUE;
  return FALSE;
}

static void
append_absent_role (LinliUsbInventory *self, GPtrArray *items, LinliUsbRole role)
{
  guint32 first = g_array_index (self->role_ids[role], guint32, 0);

  g_ptr_array_add (items, linli_usb_device_info_new (role, LINLI_USB_DEVICE_ABSENT,
                                                     (guint16) (first >> 16), (guint16) first, 0, 0,
                                                     NULL, NULL, self->role_text[role]));
}

/* Every configured role (filled by each device of its ids, or absent),
 * then every device no role claims, hubs left out. */
static GPtrArray *
match (LinliUsbInventory *self, GPtrArray *seen)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree gboolean *claimed = g_new0 (gboolean, MAX (seen->len, 1));

  for (int role = LINLI_USB_ROLE_NONE + 1; role < LINLI_USB_N_ROLES; role++)
    {
      gboolean found = FALSE;

      if (self->role_ids[role]->len == 0)
        continue;
      for (guint i = 0; i < seen->len; i++)
        {
          Seen *s = g_ptr_array_index (seen, i);

          if (claimed[i] || !role_has_id (self, role, s->vendor_id, s->product_id))
            continue;
          claimed[i] = TRUE;
          found = TRUE;
          g_ptr_array_add (items, linli_usb_device_info_new (role, LINLI_USB_DEVICE_PRESENT,
                                                             s->vendor_id, s->product_id, s->bus,
                                                             s->address, s->manufacturer,
                                                             s->product, self->role_text[role]));
        }
      if (!found)
        append_absent_role (self, items, role);
    }

  for (guint i = 0; i < seen->len; i++)
    {
      Seen *s = g_ptr_array_index (seen, i);

      if (claimed[i] || s->device_class == LIBUSB_CLASS_HUB)
        continue;
      g_ptr_array_add (items,
                       linli_usb_device_info_new (LINLI_USB_ROLE_NONE, LINLI_USB_DEVICE_UNEXPECTED,
                                                  s->vendor_id, s->product_id, s->bus, s->address,
                                                  s->manufacturer, s->product, NULL));
    }
  return items;
}

static gboolean
same_items (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!linli_usb_device_info_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

static gboolean
contains_item (GPtrArray *items, LinliUsbDeviceInfo *item)
{
  for (guint i = 0; i < items->len; i++)
    if (linli_usb_device_info_equal (item, g_ptr_array_index (items, i)))
      return TRUE;
  return FALSE;
}

static void
log_item (LinliUsbDeviceInfo *item, const char *what)
{
  LinliUsbRole role = linli_usb_device_info_get_role (item);

  if (linli_usb_device_info_get_bus (item) == 0)
    g_message ("USB %s %s: %s", linli_usb_role_to_string (role),
               linli_usb_device_info_get_id (item), what);
  else
    g_message ("USB %s %s: %s (bus %u device %u)",
               role == LINLI_USB_ROLE_NONE ? "device" : linli_usb_role_to_string (role),
               linli_usb_device_info_get_id (item), what, linli_usb_device_info_get_bus (item),
               linli_usb_device_info_get_address (item));
}

/* Ids, roles and states only: what a maintainer reads in the journal when a
 * device drops out or a stranger appears. */
static void
log_changes (GPtrArray *before, GPtrArray *after)
{
  for (guint i = 0; i < before->len; i++)
    {
      LinliUsbDeviceInfo *item = g_ptr_array_index (before, i);

      if (linli_usb_device_info_get_state (item) == LINLI_USB_DEVICE_UNEXPECTED
          && !contains_item (after, item))
        log_item (item, "gone");
    }
  for (guint i = 0; i < after->len; i++)
    {
      LinliUsbDeviceInfo *item = g_ptr_array_index (after, i);

      if (!contains_item (before, item))
        log_item (item, linli_usb_device_state_to_string (linli_usb_device_info_get_state (item)));
    }
}

static void
replace_items (LinliUsbInventory *self, GPtrArray *items)
{
  g_autoptr (GPtrArray) old = self->items;
  gboolean was_ready = self->ready;

  if (self->ready && same_items (old, items))
    {
      self->items = old;
      old = NULL;
      g_ptr_array_unref (items);
      return;
    }
  if (self->ready)
    log_changes (old, items);
  self->items = items;
  self->ready = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, items->len);
  if (!was_ready)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READY]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
apply_snapshot (LinliUsbInventory *self, GPtrArray *seen)
{
  replace_items (self, match (self, seen));
}

/* --- GListModel --- */

static GType
linli_usb_inventory_get_item_type (GListModel *model)
{
  return LINLI_TYPE_USB_DEVICE_INFO;
}

static guint
linli_usb_inventory_get_n_items (GListModel *model)
{
  return LINLI_USB_INVENTORY (model)->items->len;
}

static gpointer
linli_usb_inventory_get_item (GListModel *model, guint position)
{
  LinliUsbInventory *self = LINLI_USB_INVENTORY (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
linli_usb_inventory_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = linli_usb_inventory_get_item_type;
  iface->get_n_items = linli_usb_inventory_get_n_items;
  iface->get_item = linli_usb_inventory_get_item;
}

/* --- GObject --- */

static void
linli_usb_inventory_dispose (GObject *object)
{
  linli_usb_inventory_stop (LINLI_USB_INVENTORY (object));

  G_OBJECT_CLASS (linli_usb_inventory_parent_class)->dispose (object);
}

static void
linli_usb_inventory_finalize (GObject *object)
{
  LinliUsbInventory *self = LINLI_USB_INVENTORY (object);

  for (int role = 0; role < LINLI_USB_N_ROLES; role++)
    {
      g_array_unref (self->role_ids[role]);
      g_free (self->role_text[role]);
    }
  g_ptr_array_unref (self->items);
  g_free (self->problem);

  G_OBJECT_CLASS (linli_usb_inventory_parent_class)->finalize (object);
}

static void
linli_usb_inventory_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliUsbInventory *self = LINLI_USB_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_USE_HOTPLUG:
      g_value_set_boolean (value, self->use_hotplug);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_HOTPLUG_ACTIVE:
      g_value_set_boolean (value, linli_usb_inventory_get_hotplug_active (self));
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_usb_inventory_set_property (GObject *object,
                                  guint prop_id,
                                  const GValue *value,
                                  GParamSpec *pspec)
{
  LinliUsbInventory *self = LINLI_USB_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      linli_usb_inventory_set_interval (self, g_value_get_uint (value));
      break;
    case PROP_USE_HOTPLUG:
      linli_usb_inventory_set_use_hotplug (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_usb_inventory_class_init (LinliUsbInventoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_usb_inventory_dispose;
  object_class->finalize = linli_usb_inventory_finalize;
  object_class->get_property = linli_usb_inventory_get_property;
  object_class->set_property = linli_usb_inventory_set_property;

  props[PROP_INTERVAL]
      = g_param_spec_uint ("interval", NULL, NULL, 1, LINLI_USB_INVENTORY_MAX_INTERVAL,
                           LINLI_USB_INVENTORY_DEFAULT_INTERVAL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_USE_HOTPLUG]
      = g_param_spec_boolean ("use-hotplug", NULL, NULL, TRUE,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_HOTPLUG_ACTIVE] = g_param_spec_boolean ("hotplug-active", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * LinliUsbInventory::changed:
   *
   * The list changed: a device came or went, or the first enumeration
   * arrived. Emitted after GListModel::items-changed.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
linli_usb_inventory_init (LinliUsbInventory *self)
{
  for (int role = 0; role < LINLI_USB_N_ROLES; role++)
    self->role_ids[role] = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->interval = LINLI_USB_INVENTORY_DEFAULT_INTERVAL;
  self->use_hotplug = TRUE;
}

/* Returns: (transfer full): an inventory expecting nothing yet */
LinliUsbInventory *
linli_usb_inventory_new (void)
{
  return g_object_new (LINLI_TYPE_USB_INVENTORY, NULL);
}

gboolean
linli_usb_inventory_parse_ids (const char *text, GArray **ids, GError **error)
{
  g_autoptr (GArray) parsed = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_auto (GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      guint16 vendor_id, product_id;
      guint32 id;

      /* "a;b;" is how GKeyFile writes lists: an empty piece is no id. */
      if (g_strstrip (parts[i])[0] == '\0')
        continue;
      if (!linli_ga467_usb_parse_id (parts[i], &vendor_id, &product_id, &local_error))
        {
          g_set_error (error, LINLI_USB_INVENTORY_ERROR, LINLI_USB_INVENTORY_ERROR_INVALID_ID,
                       "“%s” is not VENDOR:PRODUCT in hex, as lsusb prints it (e.g. 0400:c35a)",
                       parts[i]);
          return FALSE;
        }
      id = (guint32) vendor_id << 16 | product_id;
      g_array_append_val (parsed, id);
    }
  if (ids != NULL)
    *ids = g_steal_pointer (&parsed);
  return TRUE;
}

gboolean
linli_usb_inventory_set_role_ids (LinliUsbInventory *self,
                                  LinliUsbRole role,
                                  const char *ids,
                                  GError **error)
{
  g_autoptr (GArray) parsed = NULL;
  GString *text;

  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), FALSE);
  g_return_val_if_fail (role > LINLI_USB_ROLE_NONE && role < LINLI_USB_N_ROLES, FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  if (!linli_usb_inventory_parse_ids (ids, &parsed, error))
    return FALSE;

  text = g_string_new (NULL);
  for (guint i = 0; i < parsed->len; i++)
    {
      guint32 id = g_array_index (parsed, guint32, i);

      g_string_append_printf (text, "%s%04x:%04x", i > 0 ? ";" : "", id >> 16, id & 0xffff);
    }
  g_array_unref (self->role_ids[role]);
  self->role_ids[role] = g_steal_pointer (&parsed);
  g_free (self->role_text[role]);
  self->role_text[role] = g_string_free (text, FALSE);
  return TRUE;
}

void
linli_usb_inventory_set_interval (LinliUsbInventory *self, guint seconds)
{
  g_return_if_fail (LINLI_IS_USB_INVENTORY (self));
  g_return_if_fail (seconds >= 1 && seconds <= LINLI_USB_INVENTORY_MAX_INTERVAL);

  if (self->interval == seconds)
    return;
  self->interval = seconds;
  if (self->worker != NULL)
    {
      g_mutex_lock (&self->worker->lock);
      self->worker->interval_ms = seconds * 1000;
      g_mutex_unlock (&self->worker->lock);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INTERVAL]);
}

guint
linli_usb_inventory_get_interval (LinliUsbInventory *self)
{
  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), 0);
  return self->interval;
}

void
linli_usb_inventory_set_use_hotplug (LinliUsbInventory *self, gboolean use_hotplug)
{
  g_return_if_fail (LINLI_IS_USB_INVENTORY (self));

  use_hotplug = !!use_hotplug;
  if (self->use_hotplug == use_hotplug)
    return;
  /* Read at start(): a running worker keeps the way it was started with. */
  self->use_hotplug = use_hotplug;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USE_HOTPLUG]);
}

gboolean
linli_usb_inventory_get_use_hotplug (LinliUsbInventory *self)
{
  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), FALSE);
  return self->use_hotplug;
}

static void
set_problem (LinliUsbInventory *self, const char *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_PROBLEM]);
}

gboolean
linli_usb_inventory_start (LinliUsbInventory *self, GError **error)
{
  Worker *w;
  int r;

  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), FALSE);

  if (self->worker != NULL)
    return TRUE;

  w = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&w->ref);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->interval_ms = self->interval * 1000;
  w->owner = g_main_context_ref_thread_default ();
  g_weak_ref_init (&w->inventory, self);
  w->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, strings_free);

  r = libusb_init (&w->ctx);
  if (r != LIBUSB_SUCCESS)
    {
      g_autoptr (GPtrArray) none = g_ptr_array_new ();

      worker_unref (w);
      g_set_error (error, LINLI_USB_INVENTORY_ERROR, LINLI_USB_INVENTORY_ERROR_LIBUSB,
                   "libusb cannot start: %s", libusb_strerror (r));
      set_problem (self, libusb_strerror (r));
      /* The roles are still worth showing: all of them absent. */
      replace_items (self, match (self, none));
      return FALSE;
    }
  set_problem (self, NULL);

  if (self->use_hotplug && libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG))
    {
      /* Registered before the first enumeration, so that nothing plugged
       * in between is missed; the callback only marks the bus as changed. */
      r = libusb_hotplug_register_callback (
          w->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
          LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug,
          w, &w->hotplug_handle);
      if (r == LIBUSB_SUCCESS)
        w->hotplug = TRUE;
      else
        g_message ("USB hotplug unavailable (%s): enumerating every %u s", libusb_error_name (r),
                   self->interval);
    }
  g_debug ("watching USB devices by %s", w->hotplug ? "hotplug events" : "periodic enumeration");

  self->worker = w;
  w->thread = g_thread_new ("usb-inventory", worker_main, worker_ref (w));
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HOTPLUG_ACTIVE]);
  return TRUE;
}

static void
wake_worker (Worker *w, gboolean stop)
{
  g_mutex_lock (&w->lock);
  if (stop)
    w->stop = TRUE;
  else
    w->wake = TRUE;
  g_cond_signal (&w->cond);
  g_mutex_unlock (&w->lock);
  if (w->hotplug)
    {
      if (stop)
        g_atomic_int_set (&w->completed, 1);
      libusb_interrupt_event_handler (w->ctx);
    }
}

void
linli_usb_inventory_stop (LinliUsbInventory *self)
{
  Worker *w;

  g_return_if_fail (LINLI_IS_USB_INVENTORY (self));

  w = g_steal_pointer (&self->worker);
  if (w == NULL)
    return;

  wake_worker (w, TRUE);
  g_thread_join (g_steal_pointer (&w->thread));
  worker_unref (w); /* the thread's reference */
  if (w->hotplug)
    libusb_hotplug_deregister_callback (w->ctx, w->hotplug_handle);
  libusb_exit (g_steal_pointer (&w->ctx));
  worker_unref (w);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HOTPLUG_ACTIVE]);
}

void
linli_usb_inventory_refresh (LinliUsbInventory *self)
{
  g_return_if_fail (LINLI_IS_USB_INVENTORY (self));

  if (self->worker != NULL)
    wake_worker (self->worker, FALSE);
}

gboolean
linli_usb_inventory_get_ready (LinliUsbInventory *self)
{
  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), FALSE);
  return self->ready;
}

gboolean
linli_usb_inventory_get_hotplug_active (LinliUsbInventory *self)
{
  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), FALSE);
  return self->worker != NULL && self->worker->hotplug;
}

const char *
linli_usb_inventory_get_problem (LinliUsbInventory *self)
{
  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), NULL);
  return self->problem;
}

gboolean
linli_usb_inventory_get_all_present (LinliUsbInventory *self)
{
  g_return_val_if_fail (LINLI_IS_USB_INVENTORY (self), FALSE);

  if (!self->ready || self->problem != NULL)
    return FALSE;
  for (guint i = 0; i < self->items->len; i++)
    if (linli_usb_device_info_get_state (g_ptr_array_index (self->items, i))
        == LINLI_USB_DEVICE_ABSENT)
      return FALSE;
  return TRUE;
}
