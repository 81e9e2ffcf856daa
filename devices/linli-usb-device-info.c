/* linli-usb-device-info.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One item of the USB inventory's list model. All properties are
 * construct-only and readable, so the maintenance screen can bind to them
 * with GtkExpressions; when something changes the inventory puts a new
 * item in the list instead of notifying on an old one.
 */
#define G_LOG_DOMAIN "linli-usb"

#include "linli-usb-device-info.h"

struct _LinliUsbDeviceInfo
{
  GObject parent_instance;

  LinliUsbRole role;
  LinliUsbDeviceState state;
  guint16 vendor_id;
  guint16 product_id;
  guint8 bus;
  guint8 address;
  char *id;
  char *manufacturer;
  char *product;
  char *expected_ids;
};

G_DEFINE_FINAL_TYPE (LinliUsbDeviceInfo, linli_usb_device_info, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ROLE,
  PROP_STATE,
  PROP_VENDOR_ID,
  PROP_PRODUCT_ID,
  PROP_ID,
  PROP_BUS,
  PROP_ADDRESS,
  PROP_MANUFACTURER,
  PROP_PRODUCT,
  PROP_EXPECTED_IDS,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

GType
linli_usb_role_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_USB_ROLE_NONE, "LINLI_USB_ROLE_NONE", "none" },
    { LINLI_USB_ROLE_ID_READER, "LINLI_USB_ROLE_ID_READER", "id-reader" },
    { LINLI_USB_ROLE_PRINTER, "LINLI_USB_ROLE_PRINTER", "printer" },
    { LINLI_USB_ROLE_CAMERA, "LINLI_USB_ROLE_CAMERA", "camera" },
    { LINLI_USB_ROLE_KEYPAD, "LINLI_USB_ROLE_KEYPAD", "keypad" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliUsbRole", values));
  return type_id;
}

GType
linli_usb_device_state_get_type (void)
{
  static gsize type_id = 0;
  static const GEnumValue values[] = {
    { LINLI_USB_DEVICE_PRESENT, "LINLI_USB_DEVICE_PRESENT", "present" },
    { LINLI_USB_DEVICE_ABSENT, "LINLI_USB_DEVICE_ABSENT", "absent" },
    { LINLI_USB_DEVICE_UNEXPECTED, "LINLI_USB_DEVICE_UNEXPECTED", "unexpected" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static ("LinliUsbDeviceState", values));
  return type_id;
}

static const char *
enum_nick (GType type, int value)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  /* The class is static: its nicks outlive this reference. */
  return v != NULL ? v->value_nick : "unknown";
}

const char *
linli_usb_role_to_string (LinliUsbRole role)
{
  return enum_nick (LINLI_TYPE_USB_ROLE, (int) role);
}

const char *
linli_usb_device_state_to_string (LinliUsbDeviceState state)
{
  return enum_nick (LINLI_TYPE_USB_DEVICE_STATE, (int) state);
}

static void
linli_usb_device_info_finalize (GObject *object)
{
  LinliUsbDeviceInfo *self = LINLI_USB_DEVICE_INFO (object);

  g_free (self->id);
  g_free (self->manufacturer);
  g_free (self->product);
  g_free (self->expected_ids);

  G_OBJECT_CLASS (linli_usb_device_info_parent_class)->finalize (object);
}

/* One line for the maintenance view (which may not include this header):
 * role, id, state, where, and what the device says it is. */
static char *
summary (LinliUsbDeviceInfo *self)
{
  GString *line = g_string_new (NULL);

  g_string_append_printf (
      line, "%s %s %s",
      self->role == LINLI_USB_ROLE_NONE ? "-" : linli_usb_role_to_string (self->role),
      self->id != NULL ? self->id : "", linli_usb_device_state_to_string (self->state));
  if (self->state != LINLI_USB_DEVICE_ABSENT)
    g_string_append_printf (line, " (%03u-%03u)", self->bus, self->address);
  else if (self->expected_ids != NULL && *self->expected_ids != '\0')
    g_string_append_printf (line, " (expected %s)", self->expected_ids);
  if (self->manufacturer != NULL && *self->manufacturer != '\0')
    g_string_append_printf (line, " %s", self->manufacturer);
  if (self->product != NULL && *self->product != '\0')
    g_string_append_printf (line, " %s", self->product);
  return g_string_free (line, FALSE);
}

static void
linli_usb_device_info_get_property (GObject *object,
                                    guint prop_id,
                                    GValue *value,
                                    GParamSpec *pspec)
{
  LinliUsbDeviceInfo *self = LINLI_USB_DEVICE_INFO (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, (int) self->role);
      break;
    case PROP_STATE:
      g_value_set_enum (value, (int) self->state);
      break;
    case PROP_VENDOR_ID:
      g_value_set_uint (value, self->vendor_id);
      break;
    case PROP_PRODUCT_ID:
      g_value_set_uint (value, self->product_id);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_BUS:
      g_value_set_uint (value, self->bus);
      break;
    case PROP_ADDRESS:
      g_value_set_uint (value, self->address);
      break;
    case PROP_MANUFACTURER:
      g_value_set_string (value, self->manufacturer);
      break;
    case PROP_PRODUCT:
      g_value_set_string (value, self->product);
      break;
    case PROP_EXPECTED_IDS:
      g_value_set_string (value, self->expected_ids);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value, summary (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_usb_device_info_set_property (GObject *object,
                                    guint prop_id,
                                    const GValue *value,
                                    GParamSpec *pspec)
{
  LinliUsbDeviceInfo *self = LINLI_USB_DEVICE_INFO (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      self->role = (LinliUsbRole) g_value_get_enum (value);
      break;
    case PROP_STATE:
      self->state = (LinliUsbDeviceState) g_value_get_enum (value);
      break;
    case PROP_VENDOR_ID:
      self->vendor_id = (guint16) g_value_get_uint (value);
      break;
    case PROP_PRODUCT_ID:
      self->product_id = (guint16) g_value_get_uint (value);
      break;
    case PROP_BUS:
      self->bus = (guint8) g_value_get_uint (value);
      break;
    case PROP_ADDRESS:
      self->address = (guint8) g_value_get_uint (value);
      break;
    case PROP_MANUFACTURER:
      self->manufacturer = g_value_dup_string (value);
      break;
    case PROP_PRODUCT:
      self->product = g_value_dup_string (value);
      break;
    case PROP_EXPECTED_IDS:
      self->expected_ids = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_usb_device_info_constructed (GObject *object)
{
  LinliUsbDeviceInfo *self = LINLI_USB_DEVICE_INFO (object);

  G_OBJECT_CLASS (linli_usb_device_info_parent_class)->constructed (object);
  self->id = g_strdup_printf ("%04x:%04x", self->vendor_id, self->product_id);
}

static void
linli_usb_device_info_class_init (LinliUsbDeviceInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = linli_usb_device_info_finalize;
  object_class->get_property = linli_usb_device_info_get_property;
  object_class->set_property = linli_usb_device_info_set_property;
  object_class->constructed = linli_usb_device_info_constructed;

  props[PROP_ROLE]
      = g_param_spec_enum ("role", NULL, NULL, LINLI_TYPE_USB_ROLE, LINLI_USB_ROLE_NONE, flags);
  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LINLI_TYPE_USB_DEVICE_STATE,
                                         LINLI_USB_DEVICE_ABSENT, flags);
  props[PROP_VENDOR_ID] = g_param_spec_uint ("vendor-id", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  props[PROP_PRODUCT_ID] = g_param_spec_uint ("product-id", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  props[PROP_ID]
      = g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_BUS] = g_param_spec_uint ("bus", NULL, NULL, 0, G_MAXUINT8, 0, flags);
  props[PROP_ADDRESS] = g_param_spec_uint ("address", NULL, NULL, 0, G_MAXUINT8, 0, flags);
  props[PROP_MANUFACTURER] = g_param_spec_string ("manufacturer", NULL, NULL, NULL, flags);
  props[PROP_PRODUCT] = g_param_spec_string ("product", NULL, NULL, NULL, flags);
  props[PROP_EXPECTED_IDS] = g_param_spec_string ("expected-ids", NULL, NULL, NULL, flags);
  /* Read by the maintenance view through GObject alone. */
  props[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
linli_usb_device_info_init (LinliUsbDeviceInfo *self)
{
}

/* Returns: (transfer full) */
LinliUsbDeviceInfo *
linli_usb_device_info_new (LinliUsbRole role,
                           LinliUsbDeviceState state,
                           guint16 vendor_id,
                           guint16 product_id,
                           guint8 bus,
                           guint8 address,
                           const char *manufacturer,
                           const char *product,
                           const char *expected_ids)
{
  return g_object_new (LINLI_TYPE_USB_DEVICE_INFO, "role", role, "state", state, "vendor-id",
                       (guint) vendor_id, "product-id", (guint) product_id, "bus", (guint) bus,
                       "address", (guint) address, "manufacturer", manufacturer, "product", product,
                       "expected-ids", expected_ids, NULL);
}

LinliUsbRole
linli_usb_device_info_get_role (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), LINLI_USB_ROLE_NONE);
  return self->role;
}

LinliUsbDeviceState
linli_usb_device_info_get_state (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), LINLI_USB_DEVICE_ABSENT);
  return self->state;
}

guint16
linli_usb_device_info_get_vendor_id (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), 0);
  return self->vendor_id;
}

guint16
linli_usb_device_info_get_product_id (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), 0);
  return self->product_id;
}

const char *
linli_usb_device_info_get_id (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), NULL);
  return self->id;
}

guint8
linli_usb_device_info_get_bus (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), 0);
  return self->bus;
}

guint8
linli_usb_device_info_get_address (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), 0);
  return self->address;
}

const char *
linli_usb_device_info_get_manufacturer (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), NULL);
  return self->manufacturer;
}

const char *
linli_usb_device_info_get_product (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), NULL);
  return self->product;
}

const char *
linli_usb_device_info_get_expected_ids (LinliUsbDeviceInfo *self)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (self), NULL);
  return self->expected_ids;
}

/* Whether two items say the same thing: the inventory only tells its
 * listeners when something did change. */
gboolean
linli_usb_device_info_equal (LinliUsbDeviceInfo *a, LinliUsbDeviceInfo *b)
{
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (a), FALSE);
  g_return_val_if_fail (LINLI_IS_USB_DEVICE_INFO (b), FALSE);
  return a->role == b->role && a->state == b->state && a->vendor_id == b->vendor_id
         && a->product_id == b->product_id && a->bus == b->bus && a->address == b->address
         && g_strcmp0 (a->manufacturer, b->manufacturer) == 0
         && g_strcmp0 (a->product, b->product) == 0
         && g_strcmp0 (a->expected_ids, b->expected_ids) == 0;
}
