import { useState } from 'react';
import { BookingForm } from '../../components/schedule/BookingForm.tsx';
import { ConsultationList } from '../../components/schedule/ConsultationList.tsx';
import { FacilityCalendar } from '../../components/schedule/FacilityCalendar.tsx';
import '../../components/schedule/schedule.css';

/** Where staff spend their day: book from suggested slots, see the booths, manage upcoming calls. */
export function StaffSchedulePage() {
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <div className="page">
      <h1>Schedule</h1>
      <BookingForm onBooked={() => setRefreshKey((k) => k + 1)} />
      <FacilityCalendar refreshKey={refreshKey} />
      <ConsultationList title="Upcoming consultations" canCancel refreshKey={refreshKey} />
    </div>
  );
}
