/* Unit tests of the service tile list, including malformed lists. */
#include "linli-service-tile.h"

#include <gio/gio.h>

static void
test_default_list (void)
{
  g_autoptr (GListModel) tiles = linli_service_tiles_load_default ();
  g_autoptr (LinliServiceTile) first = NULL;
  g_autoptr (LinliServiceTile) last = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (tiles), ==, 5);
  first = g_list_model_get_item (tiles, 0);
  g_assert_cmpstr (linli_service_tile_get_code (first), ==, "social-security");
  g_assert_cmpstr (linli_service_tile_get_title (first, "zh_CN"), ==, "社保");
  g_assert_cmpstr (linli_service_tile_get_title (first, "en"), ==, "Social security");
  last = g_list_model_get_item (tiles, 4);
  g_assert_cmpint (linli_service_tile_get_flow (last), ==, LINLI_SERVICE_FLOW_CALL_STAFF);
}

static void
test_malformed (void)
{
  const char *cases[] = {
    "[a]\ntitle-zh=甲\nflow=service\n",                   /* no English title */
    "[a]\ntitle-zh=甲\ntitle-en=A\nflow=teleport\n",      /* unknown flow */
    "[a]\ntitle-zh=甲\ntitle-en=A\n",                     /* no flow */
    "title-zh=甲\n",                                      /* key outside a group */
    "[a\n",                                               /* broken group */
    "[a]\ntitle-zh=\xff\xfe\ntitle-en=A\nflow=service\n", /* invalid UTF-8 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) data = g_bytes_new_static (cases[i], strlen (cases[i]));
      g_autoptr (GError) error = NULL;
      g_autoptr (GListModel) tiles = linli_service_tiles_load (data, &error);

      g_assert_null (tiles);
      g_assert_nonnull (error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service-tile/default-list", test_default_list);
  g_test_add_func ("/service-tile/malformed", test_malformed);

  return g_test_run ();
}
