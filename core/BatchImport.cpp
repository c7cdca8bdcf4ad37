#include "BatchImport.h"
