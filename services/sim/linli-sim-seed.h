/* linli-sim-seed.h — the simulator's fictitious county: kiosks, residents,
 * accounts, bills, contribution records and the service catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data are the JSON files in services/sim/seed/, compiled into the
 * program as a GResource; dates in them are relative to NOW. */
#pragma once

#include "linli-sim-db.h"

G_BEGIN_DECLS

/* Fills an empty database; does nothing (and says so) when residents are
 * already there. */
gboolean linli_sim_seed (LinliSimDb *db, GDateTime *now, GError **error);

G_END_DECLS
