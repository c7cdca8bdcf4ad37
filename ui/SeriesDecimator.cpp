#include "SeriesDecimator.h"
