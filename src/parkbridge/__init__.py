"""ParkBridge: cooperation platform for university technology parks and their partners."""
