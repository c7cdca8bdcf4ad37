#include "StatsChart.h"
